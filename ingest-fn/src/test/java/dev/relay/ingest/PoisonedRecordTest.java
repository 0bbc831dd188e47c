package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.ingest.kafka.MessagePublisher;
import dev.relay.ingest.kafka.RelayProducer;
import dev.relay.ingest.append.AppendTransaction;
import dev.relay.platform.dynamo.MessageItems;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A record that cannot be serialized, published or routed is that record's failure, never the
 * broker's: it is published as a placeholder, Kafka is not marked unresponsive, and the repair sweep
 * goes on past it, in its own conversation and in every other. Poison is written straight into
 * DynamoDB Local, as an old or foreign writer would, bypassing ingest's checks.
 */
@QuarkusTest
class PoisonedRecordTest {

    /** The marker key readers and the publisher put in place of what they could not carry (platform MessageItems). */
    private static final String UNREADABLE = "relay:unreadable";

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    MessagePublisher publisher;

    @Inject
    RelayProducer producer;

    @Test
    void theSweepPublishesPastAPoisonedMessageInItsConversationAndInEveryOther() {
        String alice = newUser("alice");
        String poisoned = createConversation(alice);
        String healthy = createConversation(alice);
        double damagedBefore = Api.metric("relay_dynamodb_damaged_messages_total{reason=\"meta-too-deep\"");
        // Committed and never published (ingest crashed after the commit), the poisoned one oldest of all,
        // so the sweep reaches it first: meta nested 999 deep cannot even be put in an envelope as stored.
        commitWithoutPublishing(poisoned, 1, alice, "poison", nested(999), 1);
        commitWithoutPublishing(poisoned, 2, alice, "after the poison", null, 1);
        commitWithoutPublishing(healthy, 1, alice, "healthy", null, 2);

        List<JsonNode> others = TopicReader.await(Topics.MESSAGES, healthy, Duration.ofSeconds(60),
                values -> TopicReader.seqs(values).contains(1L));
        assertThat(TopicReader.seqs(others)).as("another conversation's message is not held up by the poison").contains(1L);
        List<JsonNode> own = TopicReader.await(Topics.MESSAGES, poisoned, Duration.ofSeconds(60),
                values -> TopicReader.seqs(values).containsAll(List.of(1L, 2L)));
        assertThat(TopicReader.seqs(own)).as("the poisoned conversation's later message follows it").contains(1L, 2L);
        JsonNode placeholder = own.stream().filter(v -> v.path("message").path("seq").asLong() == 1).findFirst().orElseThrow();
        assertThat(placeholder.path("message").path("meta").path(UNREADABLE).asText()).isEqualTo("meta-too-deep");
        assertThat(placeholder.path("message").path("body").asText()).isEqualTo("poison");

        // Both conversations' publishes are confirmed: the poison no longer comes back every pass.
        StoredState stored = new StoredState(dynamoDb);
        await("both conversations confirmed on Kafka").atMost(Duration.ofSeconds(60)).until(() ->
                !stored.conversation(poisoned).containsKey(Conversations.PUBLISH_PENDING)
                        && !stored.conversation(healthy).containsKey(Conversations.PUBLISH_PENDING));
        assertThat(stored.conversation(poisoned)).containsEntry(Conversations.PUBLISHED_SEQ, AttributeValue.fromN("2"));
        assertThat(Api.metric("relay_dynamodb_damaged_messages_total{reason=\"meta-too-deep\""))
                .as("the poison is counted").isGreaterThan(damagedBefore);
        assertThat(producer.unresponsive()).isFalse();
    }

    @Test
    void aRecordThatCannotBeSerializedOrIsTooLargeGoesOutAsAPlaceholderAndKafkaStaysResponsive() {
        String alice = newUser("alice");
        // Not a stored conversation: only the publisher is under test here, its confirmations find nothing to raise.
        String poisoned = "poison-" + UUID.randomUUID();
        String other = createConversation(alice);
        double poisonBefore = Api.metric("relay_ingest_publish_poison_total");
        double leftToRepairBefore = Api.metric("relay_ingest_publish_left_to_repair_total");

        // Deeper than Jackson writes (1,000 levels): the envelope cannot be serialized.
        Message deep = message(poisoned, 1, alice, "deep", deepTree(1100));
        assertThat(publisher.publishAndWait(deep, Duration.ofSeconds(20))).as("the placeholder was acked").isTrue();
        assertThat(producer.unresponsive()).as("a poisoned record says nothing about the broker").isFalse();
        // Over the producer's max.request.size (1 MiB): refused as too large.
        Message large = message(poisoned, 2, alice, "x".repeat(1_200_000), null);
        assertThat(publisher.publishAndWait(large, Duration.ofSeconds(20))).isTrue();
        assertThat(producer.unresponsive()).isFalse();

        List<JsonNode> own = TopicReader.await(Topics.MESSAGES, poisoned, Duration.ofSeconds(30),
                values -> TopicReader.seqs(values).containsAll(List.of(1L, 2L)));
        assertThat(own).extracting(v -> v.path("message").path("meta").path(UNREADABLE).asText())
                .containsExactly("not-serializable", "record-too-large");
        assertThat(own).extracting(v -> v.path("message").path("messageId").asText())
                .containsExactly(deep.messageId(), large.messageId());
        assertThat(Api.metric("relay_ingest_publish_poison_total") - poisonBefore).isEqualTo(2);

        // Live delivery of everyone else goes on at once, not through the repair sweep.
        Api.send(alice, other, "still live").then().statusCode(201);
        List<JsonNode> live = TopicReader.await(Topics.MESSAGES, other, Duration.ofSeconds(30), values -> !values.isEmpty());
        assertThat(live).extracting(v -> v.path("message").path("body").asText()).contains("still live");
        assertThat(Api.metric("relay_ingest_publish_left_to_repair_total")).isEqualTo(leftToRepairBefore);
        assertThat(producer.unresponsive()).isFalse();
    }

    private static Message message(String conversationId, long seq, String senderId, String body, JsonNode meta) {
        return new Message(UUID.randomUUID().toString(), conversationId, seq, senderId, body, meta,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), Qos.EXACTLY_ONCE);
    }

    /**
     * What a commit whose process died before publishing leaves behind: the message item (with
     * {@code metaText} as stored meta, unchecked) and the conversation at {@code lastSeq = seq},
     * marked pending since {@code committedAtMillis}.
     */
    private void commitWithoutPublishing(String conversationId, long seq, String senderId, String body, String metaText,
                                         long committedAtMillis) {
        Map<String, AttributeValue> item = new HashMap<>(MessageItems.toItem(message(conversationId, seq, senderId, body, null)));
        if (metaText != null) {
            item.put(Messages.META, AttributeValue.fromS(metaText));
        }
        dynamoDb.putItem(b -> b.tableName(Messages.NAME).item(item));
        dynamoDb.updateItem(b -> b.tableName(Conversations.NAME)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId)))
                .updateExpression("SET #l = :seq, #p = :pending, #c = :at")
                .conditionExpression("#l = :previous")
                .expressionAttributeNames(Map.of("#l", Conversations.LAST_SEQ, "#p", Conversations.PUBLISH_PENDING,
                        "#c", Conversations.COMMITTED_AT))
                .expressionAttributeValues(Map.of(":seq", AttributeValue.fromN(Long.toString(seq)),
                        ":previous", AttributeValue.fromN(Long.toString(seq - 1)),
                        ":pending", AttributeValue.fromS(AppendTransaction.PENDING),
                        ":at", AttributeValue.fromN(Long.toString(committedAtMillis)))));
    }

    /** JSON text of an object nested {@code depth} levels deep. */
    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static JsonNode deepTree(int depth) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode level = root;
        for (int i = 1; i < depth; i++) {
            level = level.putObject("a");
        }
        return root;
    }
}
