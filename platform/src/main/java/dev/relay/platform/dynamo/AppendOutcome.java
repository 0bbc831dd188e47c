package dev.relay.platform.dynamo;

import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.SendResult;

/** What appending to the conversation log came to; sealed so callers handle every case. */
public sealed interface AppendOutcome {

    /** Committed at {@code message.seq()}, with its idempotency record when one was claimed. */
    record Committed(Message message) implements AppendOutcome {
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

    /** Every bounded attempt lost a race; nothing was written. The client may retry. */
    record Contended(int attempts) implements AppendOutcome {
    }
}
