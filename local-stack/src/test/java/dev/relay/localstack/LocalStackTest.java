package dev.relay.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.names.TableSpec;
import dev.relay.contract.names.Tables;
import dev.relay.contract.names.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The servers are real: each answers the way the apps rely on. */
class LocalStackTest {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests());
    }

    @AfterAll
    static void stop() {
        stack.close();
        // Every server and watchdog this JVM started is gone once close() returns.
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
    }

    @Test
    void everyTableOfTheContractExistsWithItsKeysIndexesAndTtl() {
        try (DynamoDbClient client = stack.dynamoDb().client()) {
            assertThat(client.listTables().tableNames()).containsAll(Tables.all());
            for (TableSpec spec : Tables.specs()) {
                TableDescription table = client.describeTable(b -> b.tableName(spec.name())).table();
                assertThat(table.keySchema().get(0).attributeName()).isEqualTo(spec.hashKey().attribute());
                if (spec.rangeKey() != null) {
                    assertThat(table.keySchema().get(1).attributeName()).isEqualTo(spec.rangeKey().attribute());
                }
                assertThat(table.globalSecondaryIndexes().stream().map(i -> i.indexName()).toList())
                        .containsExactlyInAnyOrderElementsOf(spec.indexes().stream().map(TableSpec.Index::name).toList());
                if (spec.ttlAttribute() != null) {
                    assertThat(client.describeTimeToLive(b -> b.tableName(spec.name()))
                            .timeToLiveDescription().attributeName()).isEqualTo(spec.ttlAttribute());
                }
            }
        }
    }

    @Test
    void aConditionalWriteThatMustFailFails() {
        try (DynamoDbClient client = stack.dynamoDb().client()) {
            Map<String, AttributeValue> item = Map.of(
                    Tables.Messages.CONVERSATION_ID, AttributeValue.fromS("c-" + UUID.randomUUID()),
                    Tables.Messages.SEQ, AttributeValue.fromN("1"));
            String absent = "attribute_not_exists(" + Tables.Messages.SEQ + ")";
            client.putItem(b -> b.tableName(Tables.Messages.NAME).item(item).conditionExpression(absent));
            assertThatThrownBy(() -> client.putItem(b -> b.tableName(Tables.Messages.NAME).item(item)
                    .conditionExpression(absent)))
                    .isInstanceOf(ConditionalCheckFailedException.class);
        }
    }

    @Test
    void everyTopicOfTheContractExistsWithSeveralPartitions() throws Exception {
        try (Admin admin = stack.kafka().admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.all()).allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.all());
            topics.values().forEach(t -> assertThat(t.partitions()).hasSizeGreaterThan(1));
        }
    }

    @Test
    void aProducedRecordIsConsumed() throws Exception {
        String key = "c-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.MESSAGES, key, "hello")).get(10, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "local-stack-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.MESSAGES));
            List<String> found = new ArrayList<>();
            await("the record keyed " + key).atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().equals(key)) {
                        found.add(record.value());
                    }
                }
                return !found.isEmpty();
            });
            assertThat(found).containsExactly("hello");
        }
    }

    @Test
    void aRedisPublishReachesASubscriber() throws Exception {
        String channel = RedisKeys.nodeChannel("test-" + UUID.randomUUID());
        try (RespClient subscriber = new RespClient(stack.redis().port());
             RespClient publisher = new RespClient(stack.redis().port())) {
            assertThat(subscriber.call("SUBSCRIBE", channel)).isEqualTo(List.of("subscribe", channel, 1L));
            assertThat(publisher.call("PUBLISH", channel, "ping-1")).isEqualTo(1L);
            assertThat(subscriber.read()).isEqualTo(List.of("message", channel, "ping-1"));
        }
    }

    @Test
    void aStoppedServerComesBackOnItsPortWithItsSchema() throws Exception {
        stack.redis().stop();
        assertThat(stack.redis().running()).isFalse();
        assertThatThrownBy(() -> new RespClient(stack.redis().port()).close()).isInstanceOf(java.io.IOException.class);
        stack.restart(stack.redis());
        try (RespClient client = new RespClient(stack.redis().port())) {
            assertThat(client.call("PING")).isEqualTo("PONG");
        }
        stack.dynamoDb().stop();
        stack.restart(stack.dynamoDb());
        try (DynamoDbClient client = stack.dynamoDb().client()) {
            assertThat(Set.copyOf(client.listTables().tableNames())).containsAll(Tables.all());
        }
    }
}
