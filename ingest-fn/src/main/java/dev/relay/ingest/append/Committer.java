package dev.relay.ingest.append;

/**
 * Commits one attempt of an append and says how the attempt's own items fared. The core is
 * {@link TransactionCommitter} (one {@code TransactWriteItems} per attempt); {@link AcksInAppend}
 * decorates it when {@code relay.ingest.append.acks-in-append.enabled} is on.
 */
public interface Committer {

    /**
     * @param deadline the {@link System#nanoTime()} after which the attempt may no longer be sent; it
     *                 is then {@link CommitOutcome.TimedOut} with nothing written
     * @throws RuntimeException what DynamoDB threw when the store failed or refused the request
     */
    CommitOutcome commit(AppendAttempt attempt, long deadline);
}
