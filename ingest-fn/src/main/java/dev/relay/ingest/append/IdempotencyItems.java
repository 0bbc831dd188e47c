package dev.relay.ingest.append;

import dev.relay.contract.names.Tables.Idempotency;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.SendResult;
import dev.relay.platform.dynamo.ItemValues;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item codec of the idempotency table: {@link #toItem} stores the claim with the answer it
 * produced, {@link #result} reads that answer back, so a replay is byte-for-byte the original JSON.
 */
final class IdempotencyItems {

    private IdempotencyItems() {
    }

    static Map<String, AttributeValue> toItem(Message message, IdempotencyClaim claim) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Idempotency.SENDER_ID, AttributeValue.fromS(message.senderId()));
        item.put(Idempotency.IDEMPOTENCY_KEY, AttributeValue.fromS(claim.key()));
        item.put(Idempotency.FINGERPRINT, AttributeValue.fromS(claim.fingerprint()));
        item.put(Idempotency.CONVERSATION_ID, AttributeValue.fromS(message.conversationId()));
        item.put(Idempotency.MESSAGE_ID, AttributeValue.fromS(message.messageId()));
        item.put(Idempotency.SEQ, AttributeValue.fromN(Long.toString(message.seq())));
        item.put(Idempotency.SENT_AT, AttributeValue.fromS(message.sentAt().toString()));
        item.put(Idempotency.QOS, AttributeValue.fromS(message.qos().wire()));
        item.put(Idempotency.EXPIRES_AT, AttributeValue.fromN(Long.toString(claim.expiresAt().getEpochSecond())));
        return item;
    }

    static Map<String, AttributeValue> key(String senderId, String idempotencyKey) {
        return Map.of(Idempotency.SENDER_ID, AttributeValue.fromS(senderId),
                Idempotency.IDEMPOTENCY_KEY, AttributeValue.fromS(idempotencyKey));
    }

    /** True when {@code stored} was claimed by a request with the same fingerprint and conversation. */
    static boolean sameRequest(Map<String, AttributeValue> stored, IdempotencyClaim claim, String conversationId) {
        return claim.fingerprint().equals(stored.get(Idempotency.FINGERPRINT).s())
                && conversationId.equals(stored.get(Idempotency.CONVERSATION_ID).s());
    }

    /** What a send claiming {@code claim} comes to against the {@code stored} record of its key. */
    static AppendOutcome outcome(Map<String, AttributeValue> stored, IdempotencyClaim claim, String conversationId) {
        return sameRequest(stored, claim, conversationId) ? new AppendOutcome.Replayed(result(stored))
                : new AppendOutcome.KeyReused();
    }

    static SendResult result(Map<String, AttributeValue> stored) {
        return new SendResult(
                stored.get(Idempotency.MESSAGE_ID).s(),
                stored.get(Idempotency.CONVERSATION_ID).s(),
                ItemValues.number(stored, Idempotency.SEQ),
                stored.get(Idempotency.SENDER_ID).s(),
                Instant.parse(stored.get(Idempotency.SENT_AT).s()),
                Qos.fromWire(stored.get(Idempotency.QOS).s()));
    }
}
