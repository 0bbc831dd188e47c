package dev.relay.platform.dynamo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.RelayJson;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item codec of the conversation log table: {@link #toItem} and {@link #fromItem} are inverses.
 * {@code meta} is kept as its JSON text, {@code sentAt} as ISO-8601 with millisecond precision.
 */
public final class MessageItems {

    private static final ObjectMapper JSON = RelayJson.newMapper();

    private MessageItems() {
    }

    public static Map<String, AttributeValue> toItem(Message message) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Messages.CONVERSATION_ID, AttributeValue.fromS(message.conversationId()));
        item.put(Messages.SEQ, AttributeValue.fromN(Long.toString(message.seq())));
        item.put(Messages.MESSAGE_ID, AttributeValue.fromS(message.messageId()));
        item.put(Messages.SENDER_ID, AttributeValue.fromS(message.senderId()));
        item.put(Messages.BODY, AttributeValue.fromS(message.body()));
        item.put(Messages.SENT_AT, AttributeValue.fromS(message.sentAt().toString()));
        item.put(Messages.QOS, AttributeValue.fromS(message.qos().wire()));
        if (message.meta() != null && !message.meta().isNull()) {
            item.put(Messages.META, AttributeValue.fromS(message.meta().toString()));
        }
        return item;
    }

    public static Message fromItem(Map<String, AttributeValue> item) {
        AttributeValue meta = item.get(Messages.META);
        return new Message(
                item.get(Messages.MESSAGE_ID).s(),
                item.get(Messages.CONVERSATION_ID).s(),
                Long.parseLong(item.get(Messages.SEQ).n()),
                item.get(Messages.SENDER_ID).s(),
                item.get(Messages.BODY).s(),
                meta == null ? null : parseMeta(meta.s()),
                Instant.parse(item.get(Messages.SENT_AT).s()),
                Qos.fromWire(item.get(Messages.QOS).s()));
    }

    private static JsonNode parseMeta(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored meta is not JSON", e);
        }
    }
}
