package dev.relay.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.RelayJson;
import dev.relay.contract.wire.SignalEnvelope;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces records the way ingest-fn does (key = conversationId, JSON envelopes, acks=all). */
final class EnvelopeProducer implements AutoCloseable {

    private final ObjectMapper json = RelayJson.newMapper();
    private final KafkaProducer<String, byte[]> producer;

    EnvelopeProducer(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    static Message message(String conversationId, long seq, String senderId) {
        return new Message(UUID.randomUUID().toString(), conversationId, seq, senderId, "body " + seq, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), Qos.EXACTLY_ONCE);
    }

    RecordMetadata send(Message message) {
        return raw(Topics.MESSAGES, null, message.conversationId(), bytes(MessageEnvelope.of(message)));
    }

    /** Sends without waiting for the broker; {@link #flush()} before relying on it. */
    void sendAsync(Message message) {
        producer.send(new ProducerRecord<>(Topics.MESSAGES, message.conversationId(), bytes(MessageEnvelope.of(message))));
    }

    RecordMetadata signal(SignalEnvelope envelope) {
        return raw(Topics.SIGNALS, null, envelope.conversationId(), bytes(envelope));
    }

    /** Any bytes to any partition, for poison records. */
    RecordMetadata raw(String topic, Integer partition, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, partition, key, value)).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
