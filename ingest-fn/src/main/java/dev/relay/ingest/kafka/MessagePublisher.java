package dev.relay.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.ingest.config.IngestMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Produces committed messages to topic {@code messages} as {@link MessageEnvelope} JSON, key =
 * conversationId (one partition per conversation, in order). Every ack is reported to
 * {@link PublishConfirmations}, however late it arrives.
 *
 * <p>While Kafka is unresponsive ({@link RelayProducer#unresponsive()}), a committed message is not
 * handed to the producer at all but left to the repair sweep: each outage costs one send one
 * {@code ack-timeout}, not every send.
 */
@ApplicationScoped
public class MessagePublisher {

    private static final Logger LOG = Logger.getLogger(MessagePublisher.class);

    private final RelayProducer producer;
    private final ObjectMapper json;
    private final PublishConfirmations confirmations;
    private final IngestMetrics metrics;

    public MessagePublisher(RelayProducer producer, ObjectMapper json, PublishConfirmations confirmations,
                            IngestMetrics metrics) {
        this.producer = producer;
        this.json = json;
        this.confirmations = confirmations;
        this.metrics = metrics;
    }

    /** Hands the message to Kafka; the future completes when it is acked. */
    public CompletableFuture<RecordMetadata> publish(Message message) {
        byte[] value;
        try {
            value = json.writeValueAsBytes(MessageEnvelope.of(message));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<RecordMetadata> acked = producer.send(Topics.MESSAGES, message.conversationId(), value);
        acked.thenRun(() -> confirmations.acked(message.conversationId(), message.seq()));
        return acked;
    }

    /**
     * Publishes and waits at most {@code wait} for the ack; while Kafka is unresponsive, leaves the
     * message to the repair sweep instead. Never throws: a message that was not acked in time is
     * still committed (its conversation stays {@code publishPending}), and the producer's retries or
     * the repair sweep publish it.
     *
     * @return true when Kafka acked within the wait
     */
    public boolean publishAndWait(Message message, Duration wait) {
        if (producer.unresponsive()) {
            metrics.publishLeftToRepair();
            return false;
        }
        long start = System.nanoTime();
        CompletableFuture<RecordMetadata> acked = publish(message);
        try {
            acked.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            if (!acked.isDone() || acked.isCompletedExceptionally()) {
                producer.markUnresponsive();
            }
            metrics.publishUnacked();
            LOG.debugf("message %s/%d not acked by Kafka yet: %s", message.conversationId(), message.seq(), e.toString());
            return false;
        } finally {
            metrics.publish().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
