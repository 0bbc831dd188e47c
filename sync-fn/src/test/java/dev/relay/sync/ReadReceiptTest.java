package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.RelayJson;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code POST /v1/conversations/{id}/read}: monotonic read marks, announced on topic {@code signals}. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReceiptTest {

    private static final ObjectMapper JSON = RelayJson.newMapper();

    @Inject
    Chats chats;

    @Test
    void aRisingReadMarkIsPublishedAsAReceiptAndALowerOneIsIgnored() throws Exception {
        String reader = Chats.user("reader");
        String sender = Chats.user("sender");
        String conversation = chats.create(sender, reader);
        for (int i = 0; i < 4; i++) {
            chats.send(conversation, sender, "hello " + i);
        }
        try (KafkaConsumer<String, String> signals = signalsFromNow()) {
            Api api = Api.as(reader);
            api.markRead(conversation, 3);
            api.markRead(conversation, 2);
            api.markRead(conversation, 3);
            api.markRead(conversation, 4);

            List<JsonNode> receipts = receiptsOf(signals, conversation, 2);
            assertThat(receipts).extracting(r -> r.at("/frame/readSeq").asLong()).containsExactly(3L, 4L);
            assertThat(receipts.getFirst().get("version").asInt()).isEqualTo(1);
            assertThat(receipts.getFirst().get("conversationId").asText()).isEqualTo(conversation);
            assertThat(receipts.getFirst().at("/frame/type").asText()).isEqualTo("receipt");
            assertThat(receipts.getFirst().at("/frame/conversationId").asText()).isEqualTo(conversation);
            assertThat(receipts.getFirst().at("/frame/userId").asText()).isEqualTo(reader);
        }
    }

    @Test
    void badReadMarksAreRefused() {
        String reader = Chats.user("reader");
        String conversation = chats.create(reader);
        chats.send(conversation, reader, "one");
        Api api = Api.as(reader);
        for (String body : List.of("{}", "{\"seq\":-1}", "{\"seq\":\"x\"}", "[]")) {
            api.request().contentType(ContentType.JSON).body(body)
                    .when().post("/v1/conversations/" + conversation + "/read")
                    .then().statusCode(400).body("type", endsWith("/malformed-request"));
        }
        api.request().contentType(ContentType.JSON).body("{\"seq\":2}")
                .when().post("/v1/conversations/" + conversation + "/read")
                .then().statusCode(400).body("detail", containsString(conversation + ": seq 2 is above its last seq 1"));
        Api.as(Chats.user("stranger")).request().contentType(ContentType.JSON).body("{\"seq\":1}")
                .when().post("/v1/conversations/" + conversation + "/read")
                .then().statusCode(404).body("type", endsWith("/conversation-not-found"));
        api.request().contentType(ContentType.JSON).body("{\"seq\":1}")
                .when().post("/v1/conversations/never-created/read")
                .then().statusCode(404).body("type", endsWith("/conversation-not-found"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aReadMarkIsStoredWhileKafkaIsDownAndTheLostReceiptIsCounted() throws Exception {
        String reader = Chats.user("reader");
        String sender = Chats.user("sender");
        String conversation = chats.create(sender, reader);
        chats.send(conversation, sender, "one");
        chats.send(conversation, sender, "two");
        LocalStack stack = LocalStack.shared();
        double failuresBefore = Metrics.sample("relay_receipts_publish_failures_total");

        stack.kafka().stop();
        try {
            long started = System.nanoTime();
            Api.as(reader).markRead(conversation, 2);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the read mark does not wait for Kafka")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(Api.as(reader).inboxEntry(conversation).readSeq()).isEqualTo(2);
            await("a counted publish failure").atMost(Duration.ofSeconds(30))
                    .until(() -> Metrics.sample("relay_receipts_publish_failures_total") > failuresBefore);
        } finally {
            stack.restart(stack.kafka());
        }

        // Receipts are best-effort with a 5 s delivery timeout: on a loaded machine the first ones after the
        // restart may still expire while the producer reconnects. Each try marks a new message read and waits
        // for its receipt or for its loss to be counted; a receipt must come within a few tries.
        try (KafkaConsumer<String, String> signals = signalsFromNow()) {
            JsonNode receipt = null;
            for (long seq = 3; seq <= 8 && receipt == null; seq++) {
                chats.send(conversation, sender, "after the restart " + seq);
                double failures = Metrics.sample("relay_receipts_publish_failures_total");
                Api.as(reader).markRead(conversation, seq);
                receipt = receiptOrCountedLoss(signals, conversation, failures);
                if (receipt != null) {
                    // A try whose loss was counted may still have reached the broker before it expired.
                    assertThat(receipt.at("/frame/readSeq").asLong()).as("the receipt of a read mark after the restart")
                            .isBetween(3L, seq);
                }
            }
            assertThat(receipt).as("a receipt once Kafka is back, within 6 read marks").isNotNull();
        }
    }

    /** The next receipt keyed {@code conversationId}, or null once sync-fn counts a lost receipt; fails after 60 s of neither. */
    private static JsonNode receiptOrCountedLoss(KafkaConsumer<String, String> consumer, String conversationId,
                                                 double failuresBefore) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(250))) {
                if (conversationId.equals(record.key())) {
                    return JSON.readTree(record.value());
                }
            }
            if (Metrics.sample("relay_receipts_publish_failures_total") > failuresBefore) {
                return null;
            }
        }
        throw new AssertionError("neither a receipt keyed " + conversationId + " nor a counted loss within 60 s");
    }

    private static KafkaConsumer<String, String> signalsFromNow() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.shared().kafka().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "sync-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.SIGNALS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before anything is published
        return consumer;
    }

    /** The next {@code count} envelopes keyed {@code conversationId}; fails after 30 s. */
    private static List<JsonNode> receiptsOf(KafkaConsumer<String, String> consumer, String conversationId, int count)
            throws Exception {
        List<JsonNode> found = new ArrayList<>();
        try {
            // In this thread: the consumer is used by one thread at a time.
            await(count + " receipt(s) keyed " + conversationId).atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(250))) {
                    if (conversationId.equals(record.key())) {
                        found.add(JSON.readTree(record.value()));
                    }
                }
                return found.size() >= count;
            });
        } catch (ConditionTimeoutException notAll) {
            // The assertion below names what did arrive.
        }
        assertThat(found).as("receipts on %s keyed %s", Topics.SIGNALS, conversationId).hasSize(count);
        // Nothing else for this conversation follows the expected ones.
        consumer.poll(Duration.ofMillis(500)).forEach(record ->
                assertThat(record.key()).as("unexpected extra receipt").isNotEqualTo(conversationId));
        return found;
    }
}
