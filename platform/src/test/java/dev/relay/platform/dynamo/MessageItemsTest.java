package dev.relay.platform.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.RelayJson;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The log item codec: inverse for what ingest writes, and renderable whatever an item holds. */
class MessageItemsTest {

    private static final ObjectMapper JSON = RelayJson.newMapper();

    @Test
    void anIntactMessageComesBackAsItWasWritten() throws Exception {
        Message message = new Message("m-1", "c-1", 7, "alice", "hi \uD83D\uDE00", JSON.readTree("{\"lang\":\"en\",\"n\":[1,2]}"),
                Instant.parse("2026-12-04T10:00:00.123Z"), Qos.EXACTLY_ONCE);
        assertThat(MessageItems.fromItem(MessageItems.toItem(message))).isEqualTo(message);
    }

    @Test
    void metaUpToTheDepthLimitIsKeptAndDeeperIsReplacedByTheMarker() {
        Message kept = MessageItems.fromItem(item(Map.of(Messages.META, AttributeValue.fromS(nested(MessageItems.MAX_META_DEPTH)))));
        assertThat(depth(kept.meta())).isEqualTo(MessageItems.MAX_META_DEPTH);
        for (int depth : List.of(MessageItems.MAX_META_DEPTH + 1, 997, 998, 999, 1000, 5000)) {
            Message marked = MessageItems.fromItem(item(Map.of(Messages.META, AttributeValue.fromS(nested(depth)))));
            assertThat(marked.meta().get(MessageItems.UNREADABLE).asText()).isEqualTo("meta-too-deep");
            assertThat(marked.body()).isEqualTo("hello");
            assertRenderable(marked);
        }
    }

    @Test
    void metaThatIsNotJsonTextIsReplacedByTheMarker() {
        assertThat(unreadable(Map.of(Messages.META, AttributeValue.fromS("{\"a\":")))).isEqualTo("meta-not-json");
        assertThat(unreadable(Map.of(Messages.META, AttributeValue.fromS("")))).isEqualTo("meta-not-json");
        assertThat(unreadable(Map.of(Messages.META, AttributeValue.fromM(Map.of("a", AttributeValue.fromS("b"))))))
                .isEqualTo("meta-not-text");
        assertThat(unreadable(Map.of(Messages.META, AttributeValue.fromN("1")))).isEqualTo("meta-not-text");
        assertThat(unreadable(Map.of(Messages.META, AttributeValue.fromS("{\"n\":" + "9".repeat(2000) + "}"))))
                .isEqualTo("meta-over-limits");
    }

    @Test
    void missingAttributesGetNeutralValuesAndTheMarkerNextToIntactMeta() {
        Map<String, AttributeValue> item = item(Map.of(Messages.META, AttributeValue.fromS("{\"lang\":\"en\"}")));
        item.remove(Messages.BODY);
        item.remove(Messages.MESSAGE_ID);
        item.put(Messages.SENT_AT, AttributeValue.fromS("not a time"));
        Message message = MessageItems.fromItem(item);
        assertThat(message.body()).isEmpty();
        assertThat(message.meta().get("lang").asText()).as("intact meta is kept").isEqualTo("en");
        assertThat(message.meta().get(MessageItems.UNREADABLE).asText()).isEqualTo("message-id");
        assertThat(message.sentAt()).isEqualTo(Instant.EPOCH);
        assertThat(message.messageId()).as("stable across reads").isEqualTo(MessageItems.fromItem(item).messageId());
        assertThat(message.seq()).isEqualTo(3);
        assertRenderable(message);
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        Message message = MessageItems.fromItem(item(Map.of(
                Messages.BODY, AttributeValue.fromS("a\uD800b\uDC00"),
                Messages.SENDER_ID, AttributeValue.fromS("bob\uDBFF"),
                Messages.META, AttributeValue.fromS("{\"k\uD800\":[\"\\udc00\",\"ok \uD83D\uDE00\"]}"))));
        assertThat(message.body()).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(message.senderId()).isEqualTo("bob\uFFFD");
        assertThat(message.meta().get("k\uFFFD").get(0).asText()).isEqualTo("\uFFFD");
        assertThat(message.meta().get("k\uFFFD").get(1).asText()).as("pairs are kept").isEqualTo("ok \uD83D\uDE00");
        assertThat(message.meta().has(MessageItems.UNREADABLE)).isFalse();
    }

    @Test
    void anItemWithoutItsKeyIsRefused() {
        Map<String, AttributeValue> item = item(Map.of());
        item.remove(Messages.SEQ);
        assertThatThrownBy(() -> MessageItems.fromItem(item)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String unreadable(Map<String, AttributeValue> overrides) {
        Message message = MessageItems.fromItem(item(overrides));
        assertRenderable(message);
        return message.meta().get(MessageItems.UNREADABLE).asText();
    }

    /** Written inside a few levels of wrapping, as sync, the inbox and the Kafka envelope do. */
    private static void assertRenderable(Message message) {
        Object wrapped = Map.of("a", List.of(Map.of("b", Map.of("c", message))));
        try {
            assertThat(JSON.writeValueAsString(wrapped)).contains("\"seq\":" + message.seq());
        } catch (Exception e) {
            throw new AssertionError("not renderable", e);
        }
    }

    private static Map<String, AttributeValue> item(Map<String, AttributeValue> overrides) {
        Map<String, AttributeValue> item = new HashMap<>(MessageItems.toItem(new Message("m-3", "c-1", 3, "alice", "hello",
                null, Instant.parse("2026-12-04T10:00:00Z"), Qos.AT_LEAST_ONCE)));
        item.putAll(overrides);
        return item;
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static int depth(JsonNode node) {
        int depth = 0;
        for (JsonNode level = node; level != null && level.isObject(); level = level.get("a")) {
            depth++;
        }
        return depth;
    }
}
