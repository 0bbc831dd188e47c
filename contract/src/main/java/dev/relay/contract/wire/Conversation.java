package dev.relay.contract.wire;

import java.time.Instant;
import java.util.List;

/** Answer (201) to {@code POST /v1/conversations}. */
public record Conversation(
        String conversationId,
        String title,
        List<String> members,
        long lastSeq,
        Instant createdAt) {
}
