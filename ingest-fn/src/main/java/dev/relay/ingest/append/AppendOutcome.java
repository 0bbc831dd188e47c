package dev.relay.ingest.append;

import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.SendResult;

/** What appending to the conversation log came to; sealed so callers handle every case. */
public sealed interface AppendOutcome {

    /**
     * Committed at {@code message.seq()}, with its idempotency record when one was claimed.
     *
     * @param attempts transactions tried, 1 when the first one committed
     */
    record Committed(Message message, int attempts) implements AppendOutcome {

        public Committed(Message message) {
            this(message, 1);
        }
    }

    /** The idempotency key was already used for the same request; this is its original answer. */
    record Replayed(SendResult original) implements AppendOutcome {
    }

    /** The idempotency key was already used for a different conversation or body. */
    record KeyReused() implements AppendOutcome {
    }

    /** No conversation with that id. */
    record NoConversation() implements AppendOutcome {
    }

    /** The sender is not a member of the conversation; nothing was written. */
    record NotMember() implements AppendOutcome {
    }

    /**
     * Every bounded attempt lost a race, or the wait for this process's turn on the conversation
     * ran out ({@code attempts} = 0); nothing was written. The client may retry.
     */
    record Contended(int attempts) implements AppendOutcome {
    }
}
