package dev.relay.contract.wire;

import java.time.Instant;

/** Answer to a stored send (201, or 200 when replayed): the message is durable. */
public record SendResult(
        String messageId,
        String conversationId,
        long seq,
        String senderId,
        Instant sentAt,
        Qos qos) {

    public static SendResult of(Message message) {
        return new SendResult(message.messageId(), message.conversationId(), message.seq(),
                message.senderId(), message.sentAt(), message.qos());
    }
}
