package dev.relay.ingest.append;

/**
 * Kafka acks an append can record on its way ({@link AcksInAppend}). An append writes the
 * conversation item anyway, so it can raise {@code publishedSeq} over seqs already acked in the same
 * transaction instead of a separate write. Implementations are called inside the conversation's
 * turn and must not block.
 */
public interface PublishedRuns {

    /** The acked run that directly follows the {@code publishedSeq} last known for the conversation, or null. */
    SeqRun next(String conversationId);

    /** A committed append raised {@code publishedSeq} over {@code run}. */
    void recorded(String conversationId, SeqRun run);

    /** An append found {@code publishedSeq} stored at this value (the run it offered did not follow it). */
    void observed(String conversationId, long publishedSeq);
}
