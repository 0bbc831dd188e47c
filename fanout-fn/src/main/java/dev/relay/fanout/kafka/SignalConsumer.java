package dev.relay.fanout.kafka;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.SignalEnvelope;
import dev.relay.fanout.config.FanoutConfig;
import dev.relay.fanout.metrics.FanoutMetrics;
import dev.relay.fanout.route.MessageRouter;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes at-most-once signals and receipts from {@code Topics.SIGNALS} and routes them like
 * messages, but once: no retry, no dead letter. What cannot be routed is dropped and counted;
 * offsets are auto-committed, so a crash may lose signals, never repeat many.
 */
@ApplicationScoped
public class SignalConsumer {

    private static final Logger LOG = Logger.getLogger(SignalConsumer.class);

    private final EnvelopeDecoder decoder;
    private final MessageRouter router;
    private final PartitionExecutor partitions;
    private final FanoutMetrics metrics;
    private final Duration maxAge;

    public SignalConsumer(EnvelopeDecoder decoder, MessageRouter router, PartitionExecutor partitions,
                          FanoutMetrics metrics, FanoutConfig config) {
        this.decoder = decoder;
        this.router = router;
        this.partitions = partitions;
        this.metrics = metrics;
        this.maxAge = config.signalMaxAge();
    }

    @Incoming("signals")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        partitions.forEachInOrder(records, this::handle);
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        SignalEnvelope envelope;
        try {
            envelope = decoder.signal(record.key(), record.value());
        } catch (PoisonRecordException poison) {
            metrics.dropped(Topics.SIGNALS, "poison");
            return;
        }
        if (envelope.frame() instanceof ServerFrame.Signal signal && signal.sentAt() != null
                && signal.sentAt().plus(maxAge).isBefore(Instant.now())) {
            metrics.dropped(Topics.SIGNALS, "stale");
            return;
        }
        long started = System.nanoTime();
        try {
            router.route(envelope.conversationId(), envelope.frame());
        } catch (RuntimeException failure) {
            metrics.dropped(Topics.SIGNALS, "route-failed");
            LOG.debugf("signal %s-%d@%d dropped: %s", record.topic(), record.partition(), record.offset(),
                    failure.getClass().getSimpleName());
            return;
        }
        metrics.routed(Topics.SIGNALS, Duration.ofNanos(System.nanoTime() - started));
    }
}
