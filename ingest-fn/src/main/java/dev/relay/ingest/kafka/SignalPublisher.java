package dev.relay.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.SignalEnvelope;
import dev.relay.ingest.config.IngestMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Produces at-most-once signals to topic {@code signals} (key = conversationId) without waiting:
 * a signal is never stored, so one Kafka does not take is simply lost (and counted).
 */
@ApplicationScoped
public class SignalPublisher {

    private static final Logger LOG = Logger.getLogger(SignalPublisher.class);

    private final RelayProducer producer;
    private final ObjectMapper json;
    private final IngestMetrics metrics;

    public SignalPublisher(RelayProducer producer, ObjectMapper json, IngestMetrics metrics) {
        this.producer = producer;
        this.json = json;
        this.metrics = metrics;
    }

    /** Hands the signal to Kafka, or drops it at once while Kafka is unresponsive (a send would block). */
    public void publish(ServerFrame.Signal signal) {
        if (producer.unresponsive()) {
            metrics.signalDropped();
            return;
        }
        byte[] value;
        try {
            value = json.writeValueAsBytes(SignalEnvelope.of(signal.conversationId(), signal));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a signal frame must serialize", e);
        }
        producer.send(Topics.SIGNALS, signal.conversationId(), value).whenComplete((acked, error) -> {
            if (error != null) {
                metrics.signalDropped();
                LOG.debugf("signal for %s dropped: %s", signal.conversationId(), error.toString());
            }
        });
    }
}
