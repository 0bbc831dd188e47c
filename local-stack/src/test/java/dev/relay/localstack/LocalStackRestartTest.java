package dev.relay.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contract.names.Tables;
import dev.relay.contract.names.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The local run's promise: a second start on the same data directory keeps what the first wrote. */
class LocalStackRestartTest {

    @Test
    void aSecondStartOnTheSameDataKeepsTablesItemsAndRecords(@TempDir Path data) throws Exception {
        LocalStack.Options options = new LocalStack.Options(data, 0, 0, 0, true, false);
        String conversation = "c-" + UUID.randomUUID();
        Map<String, AttributeValue> key = Map.of(
                Tables.Messages.CONVERSATION_ID, AttributeValue.fromS(conversation),
                Tables.Messages.SEQ, AttributeValue.fromN("1"));

        List<String> firstRun = new ArrayList<>();
        try (LocalStack first = quietly(() -> LocalStack.start(options, firstRun::add))) {
            assertThat(firstRun).anyMatch(line -> line.contains("tables: 0 kept, 4 created"));
            try (DynamoDbClient client = first.dynamoDb().client()) {
                Map<String, AttributeValue> item = new java.util.HashMap<>(key);
                item.put(Tables.Messages.BODY, AttributeValue.fromS("written in the first run"));
                client.putItem(b -> b.tableName(Tables.Messages.NAME).item(item));
            }
            try (KafkaProducer<String, String> producer = producer(first)) {
                producer.send(new ProducerRecord<>(Topics.MESSAGES, conversation, "first run")).get(10, TimeUnit.SECONDS);
            }
        }

        List<String> secondRun = new ArrayList<>();
        try (LocalStack second = quietly(() -> LocalStack.start(options, secondRun::add))) {
            assertThat(secondRun).anyMatch(line -> line.contains("tables: 4 kept, 0 created"));
            try (DynamoDbClient client = second.dynamoDb().client()) {
                Map<String, AttributeValue> item = client.getItem(b -> b.tableName(Tables.Messages.NAME).key(key)
                        .consistentRead(true)).item();
                assertThat(item.get(Tables.Messages.BODY).s()).isEqualTo("written in the first run");
                assertThat(client.describeTimeToLive(b -> b.tableName(Tables.Idempotency.NAME))
                        .timeToLiveDescription().timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
            }
            assertThat(recordsFor(second, conversation)).containsExactly("first run");
        }
    }

    /**
     * Runs a start with this JVM's log output (the Kafka and AWS clients log to stderr through
     * slf4j-simple) captured, and fails on any WARN or ERROR in it: a normal start is quiet.
     */
    private static LocalStack quietly(Supplier<LocalStack> start) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LocalStack stack;
        try {
            stack = start.get();
        } finally {
            System.setErr(original);
            original.print(captured.toString(StandardCharsets.UTF_8));
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines())
                .as("log lines while the stack started")
                .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        return stack;
    }

    private static KafkaProducer<String, String> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** Every value on the messages topic under the key, read from the beginning until the end offsets. */
    private static List<String> recordsFor(LocalStack stack, String key) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            // Assigned, not subscribed: no group, so nothing to commit.
            var partitions = consumer.partitionsFor(Topics.MESSAGES, Duration.ofSeconds(30)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<String> values = new ArrayList<>();
            // In this thread: a consumer is used by one thread at a time.
            await("the messages topic to be read to its end").atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(key)) {
                        values.add(record.value());
                    }
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return values;
        }
    }
}
