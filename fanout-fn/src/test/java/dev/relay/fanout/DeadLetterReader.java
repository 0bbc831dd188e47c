package dev.relay.fanout;

import dev.relay.contract.names.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads the dead-letter topic from a mark taken before a test produced anything. */
final class DeadLetterReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> mark;

    DeadLetterReader(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.MESSAGES_DLQ).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        this.mark = consumer.endOffsets(partitions);
        mark.forEach(consumer::seek);
    }

    /** Dead letters written since the mark that match, once {@code count} of them are there. */
    List<ConsumerRecord<String, byte[]>> await(int count, Predicate<ConsumerRecord<String, byte[]>> wanted, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        // In this thread: the consumer is used by one thread at a time.
        Awaitility.await(count + " dead letter(s)").atMost(timeout).pollInSameThread().until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (wanted.test(r)) {
                    found.add(r);
                }
            });
            return found.size() >= count;
        });
        return found;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
