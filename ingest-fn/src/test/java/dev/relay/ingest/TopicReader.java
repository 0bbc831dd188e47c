package dev.relay.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import dev.relay.localstack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Test fixture: reads a topic of the real broker from the beginning, keeping one key's record values. */
final class TopicReader {

    private static final ObjectMapper JSON = RelayJson.newMapper();

    private TopicReader() {
    }

    /**
     * Polls until the values recorded under {@code key} satisfy {@code done}, or the time is up.
     *
     * @return every value of the key seen, in topic order per partition
     */
    static List<JsonNode> await(String topic, String key, Duration within, Predicate<List<JsonNode>> done) {
        List<JsonNode> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.shared().kafka().bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "ingest-test-" + UUID.randomUUID(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            try {
                // In this thread: the consumer is used by one thread at a time.
                Awaitility.await("records keyed " + key + " on " + topic).atMost(within).pollInSameThread().until(() -> {
                    if (!assignedFromTheBeginning(consumer, topic)) {
                        return false;
                    }
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        if (key.equals(record.key())) {
                            values.add(parse(record.value()));
                        }
                    }
                    return done.test(values);
                });
            } catch (ConditionTimeoutException notDone) {
                // What did arrive is returned: the caller's assertion on it names what is missing.
            }
        }
        return values;
    }

    /** Assigns every partition of {@code topic} from its start, once; false while the broker cannot say which. */
    private static boolean assignedFromTheBeginning(KafkaConsumer<String, String> consumer, String topic) {
        if (!consumer.assignment().isEmpty()) {
            return true;
        }
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return true;
        } catch (RuntimeException brokerNotBackYet) {
            return false;
        }
    }

    /** The {@code message.seq} of every {@code messages} envelope in {@code values}. */
    static List<Long> seqs(List<JsonNode> values) {
        return values.stream().map(v -> v.path("message").path("seq").asLong()).toList();
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
