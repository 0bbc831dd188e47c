package dev.relay.ingest.append;

/**
 * Kafka acks an append can record on its way. An append writes the conversation item anyway, so it
 * can raise {@code publishedSeq} over seqs already acked in the same transaction instead of a
 * separate write ({@link MessageAppender#append}). Implementations are called inside the
 * conversation's turn and must not block.
 */
public interface PublishedRuns {

    /** Records nothing: every confirmation is left to its own write. */
    PublishedRuns NONE = new PublishedRuns() {
        @Override
        public SeqRun next(String conversationId) {
            return null;
        }

        @Override
        public void recorded(String conversationId, SeqRun run) {
        }

        @Override
        public void observed(String conversationId, long publishedSeq) {
        }
    };

    /** The acked run that directly follows the {@code publishedSeq} last known for the conversation, or null. */
    SeqRun next(String conversationId);

    /** A committed append raised {@code publishedSeq} over {@code run}. */
    void recorded(String conversationId, SeqRun run);

    /** An append found {@code publishedSeq} stored at this value (the run it offered did not follow it). */
    void observed(String conversationId, long publishedSeq);
}
