package dev.relay.fanout.kafka;

import dev.relay.contract.names.Topics;
import dev.relay.fanout.config.FanoutConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Re-publishes dead letters to {@code Topics.MESSAGES} with their original key and value, so they
 * take the normal path again after a fix.
 *
 * <p>Invariant: an offset of the dead-letter topic is committed for the replay consumer group only
 * after the broker acknowledged its re-publication; a replay therefore never skips a dead letter,
 * and a crash between the two repeats at most one poll's worth (harmless: everything downstream is
 * idempotent on conversationId and seq). Each request replays only what existed when it started, so
 * a record that fails again is not replayed twice by the same request.
 */
@ApplicationScoped
public class DeadLetterReplayer {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplayer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> kafka;
    private final FanoutConfig.Replay config;
    private final ReentrantLock running = new ReentrantLock();

    public DeadLetterReplayer(@Identifier("default-kafka-broker") Map<String, Object> kafka, FanoutConfig config) {
        this.kafka = Map.copyOf(kafka);
        this.config = config.replay();
    }

    /**
     * Replays up to {@code limit} dead letters.
     *
     * @return empty when another replay is running in this process
     * @throws KafkaException when Kafka cannot be reached; nothing unacknowledged was committed
     */
    public Optional<ReplayResult> replay(int limit) {
        if (!running.tryLock()) {
            return Optional.empty();
        }
        try {
            return Optional.of(replayLocked(limit));
        } finally {
            running.unlock();
        }
    }

    private ReplayResult replayLocked(int limit) {
        Duration timeout = config.timeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.MESSAGES_DLQ, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> next = startOffsets(consumer, partitions, timeout);
            next.forEach(consumer::seek);
            int replayed = 0;
            while (replayed < limit && remaining(next, end) > 0 && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (TopicPartition partition : batch.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
                        if (replayed >= limit || record.offset() >= end.get(partition)) {
                            break;
                        }
                        sends.add(producer.send(republished(record)));
                        done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                        next.put(partition, record.offset() + 1);
                        replayed++;
                    }
                }
                awaitAll(producer, sends);
                if (!done.isEmpty()) {
                    consumer.commitSync(done, timeout);
                }
            }
            long remaining = remaining(next, end);
            LOG.infof("replayed %d dead letter(s) to %s; %d remaining", replayed, Topics.MESSAGES, remaining);
            return new ReplayResult(replayed, remaining);
        }
    }

    /** Where this group stopped last time, or the oldest retained record when it never ran or fell behind retention. */
    private static Map<TopicPartition, Long> startOffsets(KafkaConsumer<byte[], byte[]> consumer,
                                                         List<TopicPartition> partitions, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), timeout);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> start = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata mark = committed.get(partition);
            long first = beginning.get(partition);
            start.put(partition, mark == null ? first : Math.max(first, mark.offset()));
        }
        return start;
    }

    private static long remaining(Map<TopicPartition, Long> next, Map<TopicPartition, Long> end) {
        long remaining = 0;
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            remaining += Math.max(0, partition.getValue() - next.getOrDefault(partition.getKey(), 0L));
        }
        return remaining;
    }

    private static ProducerRecord<byte[], byte[]> republished(ConsumerRecord<byte[], byte[]> deadLetter) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.MESSAGES, deadLetter.key(), deadLetter.value());
        String origin = deadLetter.topic() + "/" + deadLetter.partition() + "/" + deadLetter.offset();
        record.headers().add(MessageConsumer.HEADER_REPLAYED, origin.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static void awaitAll(KafkaProducer<byte[], byte[]> producer, List<Future<RecordMetadata>> sends) {
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while re-publishing dead letters", e);
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> consumer = only(ConsumerConfig.configNames());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, config.group());
        return consumer;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> producer = only(ProducerConfig.configNames());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, config.group());
        return producer;
    }

    private Map<String, Object> only(java.util.Set<String> names) {
        Map<String, Object> selected = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (names.contains(key)) {
                selected.put(key, value);
            }
        });
        return selected;
    }
}
