package dev.relay.edge.delivery;

import dev.relay.edge.config.EdgeConfig;
import dev.relay.platform.dynamo.MemberStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Turns acks into {@code deliveredSeq} raises in DynamoDB (the member's watermark). Acks are
 * coalesced per member (only the highest seq since the last write matters) in a bounded pending
 * map, and written every {@code ack.flush-interval} on this writer's own thread, never on the event
 * loop nor on the delivery timers' thread: a slow or stopped DynamoDB delays receipts, never a
 * re-send, gap hold or idle close.
 *
 * <p>Invariants: at most {@code ack.max-pending-writes} members wait for a write; an ack of a member
 * not already waiting while the map is full is dropped and counted
 * ({@code relay_edge_watermark_writes_dropped_total}), never queued without limit, so a store outage
 * costs bounded memory. A dropped watermark only lags: the next ack of that member (or the sender's
 * own next append) raises it, and readers never rely on it for delivery. The update is conditional
 * and monotonic ({@link MemberStore#raiseDeliveredSeq}), so late or repeated writes never lower it;
 * a failed write goes back to the map (coalesced with newer acks) and waits for the next round.
 */
@ApplicationScoped
public class DeliveredSeqWriter {

    private static final Logger LOG = Logger.getLogger(DeliveredSeqWriter.class);

    private final MemberStore members;
    private final ConcurrentHashMap<MemberKey, Long> pending = new ConcurrentHashMap<>();
    /** Entries in {@code pending}; kept by the compute calls that add and remove them, so the bound is exact. */
    private final AtomicInteger size = new AtomicInteger();
    private final int maxPending;
    private final Duration flushInterval;
    private final Duration drainTimeout;
    private final Counter dropped;
    private final Counter failedRounds;
    private final ScheduledExecutorService writer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("edge-watermarks").daemon().factory());

    public DeliveredSeqWriter(MemberStore members, EdgeConfig config, MeterRegistry registry) {
        this.members = members;
        this.maxPending = config.ack().maxPendingWrites();
        this.flushInterval = config.ack().flushInterval();
        this.drainTimeout = config.drain().timeout();
        this.dropped = Counter.builder("relay.edge.watermark.writes.dropped")
                .description("deliveredSeq raises dropped because too many members already waited for a write")
                .register(registry);
        this.failedRounds = Counter.builder("relay.edge.watermark.write.failures")
                .description("deliveredSeq write rounds stopped by a store failure (the writes wait for the next round)")
                .register(registry);
        Gauge.builder("relay.edge.watermark.pending", size, AtomicInteger::get)
                .description("members whose deliveredSeq raise waits for a write").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        long millis = Math.max(1, flushInterval.toMillis());
        writer.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** After the node's drain (default priority) closed every connection: one last bounded round, then stop. */
    void onShutdown(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 500) ShutdownEvent event) {
        flushWithin(drainTimeout);
        writer.shutdownNow();
    }

    /** Records an ack; never blocks (called under a connection's lock on the event loop). */
    public void raise(String conversationId, String userId, long seq) {
        if (!offer(new MemberKey(conversationId, userId), seq)) {
            dropped.increment();
        }
    }

    /**
     * Runs one write round on the writer's thread and waits for it at most {@code timeout} (the
     * drain); false when it did not finish in time or the writer has stopped.
     */
    public boolean flushWithin(Duration timeout) {
        try {
            Future<?> round = writer.submit(this::flushQuietly);
            round.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            LOG.warnf("deliveredSeq writes not finished, %d members pending: %s", size.get(), e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Members waiting for a write. */
    public int pendingCount() {
        return size.get();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf(e, "deliveredSeq write round failed");
        }
    }

    /** One round over what is pending; stops at the first store failure (the store is down or throttling). Writer thread only. */
    private void flush() {
        for (MemberKey key : List.copyOf(pending.keySet())) {
            Long seq = take(key);
            if (seq == null) {
                continue;
            }
            try {
                members.raiseDeliveredSeq(key.conversationId(), key.userId(), seq);
            } catch (RuntimeException e) {
                if (!offer(key, seq)) {
                    dropped.increment();
                }
                failedRounds.increment();
                LOG.warnf("deliveredSeq writes paused, %d members pending: %s", size.get(), e.getClass().getSimpleName());
                return;
            }
        }
    }

    /** Coalesces {@code seq} into the member's pending raise; false when the member is new and the map is full. */
    private boolean offer(MemberKey key, long seq) {
        boolean[] accepted = {true};
        pending.compute(key, (k, current) -> {
            if (current != null) {
                return Math.max(current, seq);
            }
            if (size.incrementAndGet() > maxPending) {
                size.decrementAndGet();
                accepted[0] = false;
                return null;
            }
            return seq;
        });
        return accepted[0];
    }

    private Long take(MemberKey key) {
        Long seq = pending.remove(key);
        if (seq != null) {
            size.decrementAndGet();
        }
        return seq;
    }

    private record MemberKey(String conversationId, String userId) {
    }
}
