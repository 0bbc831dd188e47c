package dev.relay.fanout.kafka;

import dev.relay.contract.names.Topics;
import dev.relay.fanout.metrics.FanoutMetrics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Writes a record fanout gives up on to {@code Topics.MESSAGES_DLQ}: the original key and value
 * byte for byte, and the failure in the {@code relay-dlq-*} headers. Returns only once the broker
 * has acknowledged the write, so the original offset may be committed after it.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    /** Header values of {@link Topics#HEADER_DLQ_REASON} start with one of these. */
    public enum Reason {
        /** Can never be routed as it is: unparsable, unknown version, incomplete. */
        POISON("poison"),
        /** Routing kept failing until the retry attempts were used up. */
        EXHAUSTED("exhausted");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final MutinyEmitter<byte[]> deadLetters;
    private final FanoutMetrics metrics;

    public DeadLetterPublisher(@Channel("dead-letters") MutinyEmitter<byte[]> deadLetters, FanoutMetrics metrics) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** @param detail why, without any of the record's content */
    public void publish(ConsumerRecord<String, byte[]> record, Reason reason, String detail, int attempts) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, Topics.HEADER_DLQ_REASON, reason.label() + ": " + detail);
        header(headers, Topics.HEADER_DLQ_TOPIC, record.topic());
        header(headers, Topics.HEADER_DLQ_PARTITION, Integer.toString(record.partition()));
        header(headers, Topics.HEADER_DLQ_OFFSET, Long.toString(record.offset()));
        header(headers, Topics.HEADER_DLQ_ATTEMPTS, Integer.toString(attempts));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        deadLetters.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
        metrics.deadLettered(record.topic(), reason.label());
        LOG.warnf("dead-lettered %s-%d@%d after %d attempt(s): %s: %s", record.topic(), record.partition(),
                record.offset(), attempts, reason.label(), detail);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
