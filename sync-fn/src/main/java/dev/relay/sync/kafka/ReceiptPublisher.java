package dev.relay.sync.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.SignalEnvelope;
import dev.relay.sync.read.SyncMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Puts {@code receipt} frames on topic {@code signals} (key = conversationId, so one
 * conversation's receipts stay in order), from where fanout pushes them to online members.
 * Receipts are live-only and the read mark is already stored: a publish that fails, now or
 * when the broker finally answers, is logged and counted, never thrown at the caller.
 */
@ApplicationScoped
@RegisterForReflection(targets = {SignalEnvelope.class, ServerFrame.class, ServerFrame.Receipt.class})
public class ReceiptPublisher {

    /** Channel name; its topic is set per record to {@link Topics#SIGNALS}. */
    static final String CHANNEL = "receipts";

    private static final Logger LOG = Logger.getLogger(ReceiptPublisher.class);

    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final SyncMetrics metrics;

    public ReceiptPublisher(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, SyncMetrics metrics) {
        this.emitter = emitter;
        this.json = json;
        this.metrics = metrics;
    }

    public void publish(String conversationId, String userId, long readSeq) {
        String value;
        try {
            value = json.writeValueAsString(SignalEnvelope.of(conversationId,
                    new ServerFrame.Receipt(conversationId, userId, readSeq)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a receipt envelope always serializes", e);
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.SIGNALS)
                .withKey(conversationId)
                .build();
        Message<String> record = Message.of(value)
                .addMetadata(metadata)
                .withNack(failure -> {
                    failed(conversationId, failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(record);
        } catch (RuntimeException overflowOrClosed) {
            failed(conversationId, overflowOrClosed);
        }
    }

    private void failed(String conversationId, Throwable failure) {
        metrics.receiptNotPublished();
        LOG.warnf("receipt for conversation %s not published: %s", conversationId, failure.toString());
    }
}
