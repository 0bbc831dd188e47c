package dev.relay.fanout.kafka;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.Message;
import dev.relay.fanout.kafka.DeadLetterPublisher.Reason;
import dev.relay.fanout.metrics.FanoutMetrics;
import dev.relay.fanout.route.MessageRouter;
import dev.relay.fanout.route.DependencyUnavailableException;
import dev.relay.fanout.route.RetryGuard;
import dev.relay.fanout.route.RouteOutcome;
import dev.relay.fanout.route.RoutingPause;
import dev.relay.fanout.route.UnroutableFrameException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes committed messages from {@code Topics.MESSAGES}, at least once.
 *
 * <p>Invariants: a polled batch is acknowledged, and its offsets become committable, only after
 * every record in it was routed or written to the dead-letter topic; batches are handled one at a
 * time (ordered {@code @Blocking}), and inside a batch each partition in offset order, so a
 * conversation's messages are published in seq order. An unavailable dependency
 * ({@link DependencyUnavailableException}) is never the record's fault: its partition waits in
 * {@link RoutingPause} (readiness DOWN) and tries the same record again, for as long as the outage
 * lasts, so nothing is dead-lettered for it and the batch's offsets stay uncommitted. Any other failure
 * is retried a bounded number of times, then the record is dead-lettered and the partition moves on; one
 * that cannot be decoded, or whose frame cannot be written at all, is dead-lettered as poison at once.
 * Anything else that fails (the dead-letter write itself) fails the batch, which is then redelivered
 * from the last commit.
 */
@ApplicationScoped
public class MessageConsumer {

    /** Set on records re-published from the dead-letter topic; their end-to-end latency is not measured. */
    public static final String HEADER_REPLAYED = "relay-replayed";

    private final EnvelopeDecoder decoder;
    private final MessageRouter router;
    private final RetryGuard retry;
    private final DeadLetterPublisher deadLetters;
    private final PartitionExecutor partitions;
    private final RoutingPause pause;
    private final FanoutMetrics metrics;

    public MessageConsumer(EnvelopeDecoder decoder, MessageRouter router, RetryGuard retry,
                           DeadLetterPublisher deadLetters, PartitionExecutor partitions, RoutingPause pause,
                           FanoutMetrics metrics) {
        this.decoder = decoder;
        this.router = router;
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.partitions = partitions;
        this.pause = pause;
        this.metrics = metrics;
    }

    @Incoming("messages")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        partitions.forEachInOrder(records, this::handle);
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        Message message;
        try {
            message = decoder.message(record.key(), record.value());
        } catch (PoisonRecordException poison) {
            deadLetters.publish(record, Reason.POISON, poison.getMessage(), 1);
            return;
        }
        AtomicInteger attempts = new AtomicInteger();
        long started = System.nanoTime();
        try {
            routeThroughOutages(message, attempts);
        } catch (UnroutableFrameException unroutable) {
            deadLetters.publish(record, Reason.POISON, unroutable.getMessage(), attempts.get());
            return;
        } catch (RuntimeException failure) {
            if (Thread.currentThread().isInterrupted()) {
                // Shutting down: leave the record uncommitted for whoever consumes next.
                throw failure;
            }
            deadLetters.publish(record, Reason.EXHAUSTED, describe(failure), attempts.get());
            return;
        }
        metrics.routed(Topics.MESSAGES, Duration.ofNanos(System.nanoTime() - started));
        if (message.sentAt() != null && record.headers().lastHeader(HEADER_REPLAYED) == null) {
            metrics.endToEnd(Duration.between(message.sentAt(), Instant.now()));
        }
    }

    /** Bounded retries per try; an outage is waited out here, as long as it lasts, without dead letter. */
    private RouteOutcome routeThroughOutages(Message message, AtomicInteger attempts) {
        ServerFrame frame = new ServerFrame.MessagePush(message);
        String waitingOn = null;
        try {
            for (int round = 0; ; round++) {
                try {
                    return retry.call(() -> router.route(message.conversationId(), frame), attempts);
                } catch (DependencyUnavailableException outage) {
                    // Attempts count tries that could have been the record's fault, not an outage's.
                    attempts.set(0);
                    if (!outage.dependency().equals(waitingOn)) {
                        if (waitingOn != null) {
                            pause.leave(waitingOn);
                        }
                        pause.enter(outage.dependency());
                        waitingOn = outage.dependency();
                        round = 0;
                    }
                    pause.backOff(round);
                }
            }
        } finally {
            if (waitingOn != null) {
                pause.leave(waitingOn);
            }
        }
    }

    private static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
