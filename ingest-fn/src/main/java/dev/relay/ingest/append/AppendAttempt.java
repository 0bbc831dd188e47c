package dev.relay.ingest.append;

import dev.relay.contract.wire.Message;

/**
 * One try at appending a message: at the seq the appender guessed, claiming the key when given
 * (exactly-once), and recording {@code run} of acked seqs as published when given ({@link AcksInAppend}).
 */
public record AppendAttempt(Message message, IdempotencyClaim claim, SeqRun run) {

    public AppendAttempt(Message message, IdempotencyClaim claim) {
        this(message, claim, null);
    }

    /** The same attempt, also raising {@code publishedSeq} over {@code acked}, which must end below its seq. */
    public AppendAttempt recording(SeqRun acked) {
        if (acked.to() >= message.seq()) {
            throw new IllegalArgumentException("run " + acked + " does not end below seq " + message.seq());
        }
        return new AppendAttempt(message, claim, acked);
    }
}
