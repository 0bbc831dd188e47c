package dev.relay.ingest.append;

/**
 * Runs transactions and says how each one's items fared: {@link DynamoDbTransactions} sends each at
 * once; {@link GroupCommit} (when {@code relay.ingest.append.group-commit.enabled} is on) lets
 * requests that arrive while its committers are busy share one.
 */
@FunctionalInterface
public interface TransactionRunner {

    /**
     * @param deadline the {@link System#nanoTime()} after which {@code request} may no longer be sent
     *                 ({@link CommitOutcome.TimedOut}, nothing written); a runner that sends at once
     *                 never reaches it
     * @throws RuntimeException what DynamoDB threw when the store failed or refused the request
     */
    CommitOutcome run(TransactionRequest request, long deadline);
}
