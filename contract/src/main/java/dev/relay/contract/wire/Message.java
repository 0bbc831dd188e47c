package dev.relay.contract.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A stored message as every reader sees it. {@code seq} is gap-free per conversation and in commit
 * order; {@code sentAt} is the commit time. {@code meta} is a small JSON object or null.
 */
public record Message(
        String messageId,
        String conversationId,
        long seq,
        String senderId,
        String body,
        JsonNode meta,
        Instant sentAt,
        Qos qos) {
}
