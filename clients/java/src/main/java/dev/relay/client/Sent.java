package dev.relay.client;

import dev.relay.contract.wire.SendResult;

/**
 * A stored send's answer; {@code replayed} when the server answered 200 Idempotent-Replayed (an
 * earlier try, whose answer was lost, had stored it), and the key it was sent with.
 */
public record Sent(SendResult result, boolean replayed, String idempotencyKey) {

    public long seq() {
        return result.seq();
    }

    public String conversationId() {
        return result.conversationId();
    }
}
