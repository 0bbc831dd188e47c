package dev.relay.ingest.append;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.platform.dynamo.ItemValues;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Records Kafka acks in the append's own transaction (docs/decisions/0002): an append writes the
 * conversation item anyway, so it raises {@code publishedSeq} over the acked run that follows it
 * ({@link PublishedRuns#next}) under the run's condition ({@link SeqRun#condition()}), instead of a
 * write of its own. On when {@code relay.ingest.append.acks-in-append.enabled}; without it every
 * ack is confirmed by the periodic pass.
 *
 * <p>A run that no longer follows the stored {@code publishedSeq} (another process recorded it)
 * cancels that attempt only: when only the conversation's condition failed and {@code lastSeq} still
 * holds the attempt's seq - 1, the same attempt goes again at once without the run, and the stored
 * {@code publishedSeq} is reported back ({@link PublishedRuns#observed}).
 */
public final class AcksInAppend implements Committer {

    private final Committer committer;
    private final PublishedRuns runs;

    public AcksInAppend(Committer committer, PublishedRuns runs) {
        this.committer = committer;
        this.runs = runs;
    }

    @Override
    public CommitOutcome commit(AppendAttempt attempt, long deadline) {
        String conversationId = attempt.message().conversationId();
        SeqRun run = runs.next(conversationId);
        if (run == null || run.to() >= attempt.message().seq()) {
            return committer.commit(attempt, deadline);
        }
        CommitOutcome outcome = committer.commit(attempt.recording(run), deadline);
        if (outcome instanceof CommitOutcome.Committed) {
            runs.recorded(conversationId, run);
        } else if (outcome instanceof CommitOutcome.Cancelled cancelled && onlyTheRunFailed(cancelled, attempt)) {
            runs.observed(conversationId, ItemValues.number(conversation(cancelled), Conversations.PUBLISHED_SEQ));
            return committer.commit(attempt, deadline);
        }
        return outcome;
    }

    /** The conversation's condition alone failed while {@code lastSeq} was the attempt's seq - 1. */
    private static boolean onlyTheRunFailed(CommitOutcome.Cancelled cancelled, AppendAttempt attempt) {
        if (!cancelled.failed(AppendTransaction.CONVERSATION) || cancelled.failed(AppendTransaction.MESSAGE)
                || cancelled.failed(AppendTransaction.MEMBER) || cancelled.failed(AppendTransaction.CLAIM)) {
            return false;
        }
        Map<String, AttributeValue> conversation = conversation(cancelled);
        return conversation != null && !conversation.isEmpty()
                && ItemValues.number(conversation, Conversations.LAST_SEQ) == attempt.message().seq() - 1;
    }

    private static Map<String, AttributeValue> conversation(CommitOutcome.Cancelled cancelled) {
        return cancelled.reasons().get(AppendTransaction.CONVERSATION).item();
    }
}
