package dev.relay.ingest.kafka;

import dev.relay.ingest.config.IngestConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The app's one Kafka producer: idempotent, {@code acks=all}, {@code linger.ms=0}, so a record that
 * was acked is on every in-sync replica and a retried batch is never written twice. Records the
 * producer could not deliver before the broker came back are retried by it until
 * {@code delivery.timeout.ms}; the repair sweep covers the rest.
 *
 * <p>It also knows whether the broker is <em>unresponsive</em>: from a committed message whose ack
 * did not come within the wait ({@link #markUnresponsive()}) until the next ack of any record. While
 * it is, the send path does not touch the producer at all (each {@code send} would block for
 * {@code max.block.ms}: Kafka 4 clients drop their metadata and re-bootstrap when every broker is
 * gone), so answers stay prompt; the repair sweep keeps publishing, and its first ack ends it.
 */
@ApplicationScoped
public class RelayProducer {

    private final KafkaProducer<String, byte[]> producer;
    /** See the class comment: set by a missed ack, cleared by any ack. */
    private final AtomicBoolean unresponsive = new AtomicBoolean();

    public RelayProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, IngestConfig config) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                settings.put(key, value);
            }
        });
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-fn");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // send() must not hold a request longer than the ack wait when the broker is unreachable.
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.publish().ackTimeout().toMillis());
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(settings);
    }

    /**
     * Hands one record to the producer. The future completes when Kafka acked it, or exceptionally;
     * a failure to even enqueue (buffer full, no metadata in time) completes it exceptionally too.
     */
    public CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    unresponsive.set(false);
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** True while the broker is known to be unreachable (see the class comment). */
    public boolean unresponsive() {
        return unresponsive.get();
    }

    /** A record that had to be on Kafka by now is not acked; holds until the next ack of any record. */
    public void markUnresponsive() {
        unresponsive.set(true);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
