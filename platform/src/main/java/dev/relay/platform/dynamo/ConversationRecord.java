package dev.relay.platform.dynamo;

import java.time.Instant;

/**
 * A conversation item as stored. Only exists once every initial member item was written, so a
 * conversation that is visible here is complete.
 *
 * @param title          null when the creator gave none
 * @param lastSeq        highest committed seq (0 before the first message)
 * @param publishedSeq   highest seq known to be on Kafka (0 before the first confirmed publish)
 * @param lastActivityAt creation, then the commit time of the latest message
 */
public record ConversationRecord(
        String conversationId,
        String title,
        String createdBy,
        Instant createdAt,
        Instant lastActivityAt,
        long lastSeq,
        long publishedSeq,
        long memberCount) {
}
