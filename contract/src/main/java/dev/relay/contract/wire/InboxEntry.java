package dev.relay.contract.wire;

/** One conversation in the caller's inbox; {@code unread = lastSeq - readSeq}. */
public record InboxEntry(
        String conversationId,
        String title,
        long lastSeq,
        long deliveredSeq,
        long readSeq,
        long unread,
        Message lastMessage) {
}
