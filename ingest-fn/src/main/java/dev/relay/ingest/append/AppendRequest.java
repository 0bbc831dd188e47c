package dev.relay.ingest.append;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.wire.Qos;

/**
 * One stored message a member asks to append.
 *
 * @param meta  the message's meta object, or null
 * @param qos   at-least-once or exactly-once (an at-most-once signal is never stored)
 * @param claim the idempotency key to claim atomically with the message (exactly-once), or null
 */
public record AppendRequest(String conversationId, String senderId, String body, JsonNode meta, Qos qos,
                            IdempotencyClaim claim) {

    public AppendRequest {
        if (!qos.stored()) {
            throw new IllegalArgumentException(qos + " is not stored");
        }
    }
}
