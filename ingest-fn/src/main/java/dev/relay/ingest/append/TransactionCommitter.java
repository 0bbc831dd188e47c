package dev.relay.ingest.append;

import java.util.Set;

/**
 * The core committer: one attempt is one transaction ({@link AppendTransaction}'s items), handed to
 * the runner. With {@link DynamoDbTransactions} as the runner, that is one {@code TransactWriteItems}
 * per append attempt, sent at once.
 */
public final class TransactionCommitter implements Committer {

    private final AppendTransaction transaction;
    private final TransactionRunner runner;

    public TransactionCommitter(AppendTransaction transaction, TransactionRunner runner) {
        this.transaction = transaction;
        this.runner = runner;
    }

    @Override
    public CommitOutcome commit(AppendAttempt attempt, long deadline) {
        return runner.run(new TransactionRequest(transaction.items(attempt.message(), attempt.claim(), attempt.run()),
                touchedKeys(attempt), estimatedBytes(attempt)), deadline);
    }

    /**
     * The items an attempt touches, by identity: its message, conversation and member items all live
     * under the conversation id; the idempotency record under sender and key.
     */
    private static Set<String> touchedKeys(AppendAttempt attempt) {
        String conversation = "conversation\n" + attempt.message().conversationId();
        return attempt.claim() == null ? Set.of(conversation)
                : Set.of(conversation, "claim\n" + attempt.message().senderId() + '\n' + attempt.claim().key());
    }

    /** Generous: 3 bytes per UTF-16 unit of body and meta, plus the attributes of the four items. */
    private static long estimatedBytes(AppendAttempt attempt) {
        long text = attempt.message().body().length()
                + (attempt.message().meta() == null ? 0 : attempt.message().meta().toString().length());
        return 3 * text + 2048;
    }
}
