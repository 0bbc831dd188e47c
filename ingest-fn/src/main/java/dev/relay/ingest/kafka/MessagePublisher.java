package dev.relay.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.MessageEnvelope;
import dev.relay.ingest.config.IngestMetrics;
import dev.relay.platform.dynamo.MessageItems;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;

/**
 * Produces committed messages to topic {@code messages} as {@link MessageEnvelope} JSON, key =
 * conversationId (one partition per conversation, in order). Every ack is reported to
 * {@link PublishConfirmations}, however late it arrives.
 *
 * <p>A record that fails for what it holds (it cannot be written as JSON, it is too large, the broker
 * calls it invalid) is that record's failure, never the broker's: in its place goes a
 * <em>placeholder</em>, the same message (ids, seq, sender, time, qos) with an empty body and
 * {@code meta = {"relay:unreadable":"<reason>"}}, so the seq is on Kafka, {@code publishedSeq} can pass
 * it, the conversation's later messages flow, and readers see the marker where the message would be
 * (sync serves what the log holds). Counted as {@code relay_ingest_publish_poison_total{reason}}.
 *
 * <p>While Kafka is unresponsive ({@link RelayProducer#unresponsive()}), a committed message is not
 * handed to the producer at all but left to the repair sweep: each outage costs one send one
 * {@code ack-timeout}, not every send. Only a broker failure (no ack in time, no metadata, buffer
 * full) makes Kafka unresponsive; a poisoned record never does.
 */
@ApplicationScoped
public class MessagePublisher {

    private static final Logger LOG = Logger.getLogger(MessagePublisher.class);
    /** Placeholders for records the broker refused are sent off the producer's I/O thread, which must not block. */
    private static final Executor OFF_IO_THREAD = task -> Thread.ofVirtual().name("placeholder-publish").start(task);

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

    /**
     * Hands the message (or its placeholder, see the class comment) to Kafka; the future completes when
     * it is acked, and fails only for what is not the record's fault.
     */
    public CompletableFuture<RecordMetadata> publish(Message message) {
        byte[] value;
        CompletableFuture<RecordMetadata> acked;
        try {
            value = json.writeValueAsBytes(MessageEnvelope.of(message));
            acked = send(message, value);
        } catch (JsonProcessingException e) {
            acked = placeholder(message, "not-serializable", e);
        }
        acked.thenRun(() -> confirmations.acked(message.conversationId(), message.seq()));
        return acked;
    }

    private CompletableFuture<RecordMetadata> send(Message message, byte[] value) {
        CompletableFuture<RecordMetadata> sent = producer.send(Topics.MESSAGES, message.conversationId(), value);
        if (sent.isCompletedExceptionally()) {
            // Refused before it left this thread (size checked on the caller's thread, or no broker to be had).
            Throwable error = sent.exceptionNow();
            String fault = recordFault(error);
            return fault == null ? sent : placeholder(message, fault, error);
        }
        return sent.exceptionallyComposeAsync(error -> {
            String fault = recordFault(error);
            return fault == null ? CompletableFuture.failedFuture(error) : placeholder(message, fault, error);
        }, OFF_IO_THREAD);
    }

    private CompletableFuture<RecordMetadata> placeholder(Message message, String reason, Throwable error) {
        metrics.publishPoison(reason);
        LOG.warnf("message %s/%d cannot be published as stored (%s: %s); publishing a placeholder in its place",
                message.conversationId(), message.seq(), reason, error.getClass().getSimpleName());
        Message placeholder = new Message(message.messageId(), message.conversationId(), message.seq(),
                message.senderId(), "", JsonNodeFactory.instance.objectNode().put(MessageItems.UNREADABLE, reason),
                message.sentAt(), message.qos());
        try {
            return producer.send(Topics.MESSAGES, message.conversationId(),
                    json.writeValueAsBytes(MessageEnvelope.of(placeholder)));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Why a failed publish is the record's own fault (a slug), or null when it is the broker's or the
     * network's: only the latter says anything about Kafka being reachable.
     */
    static String recordFault(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case RecordTooLargeException tooLarge -> "record-too-large";
            case RecordBatchTooLargeException tooLarge -> "record-too-large";
            case InvalidRecordException invalid -> "invalid-record";
            case SerializationException notSerializable -> "not-serializable";
            case JsonProcessingException notSerializable -> "not-serializable";
            case null, default -> null;
        };
    }

    /**
     * Publishes and waits at most {@code wait} for the ack; while Kafka is unresponsive, leaves the
     * message to the repair sweep instead. Never throws: a message that was not acked in time is
     * still committed (its conversation stays {@code publishPending}), and the producer's retries or
     * the repair sweep publish it.
     *
     * @return true when Kafka acked within the wait (the message or its placeholder)
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
            if (!acked.isDone() || recordFault(e) == null) {
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
