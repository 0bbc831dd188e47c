package dev.relay.ingest.kafka;

import dev.relay.ingest.config.IngestConfig;
import dev.relay.ingest.dynamo.PublicationStore;
import dev.relay.ingest.dynamo.PublicationStore.Confirmation;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Coalesces Kafka acks into {@code publishedSeq} writes: acks are collected in memory per
 * conversation and, every {@code confirm-interval}, the lowest contiguous run of acked seqs is
 * confirmed with one conditional update per conversation. Under load that is one write for many
 * sends. Acks this process cannot confirm (a seq below them was published by another process, or
 * never) are kept for {@code confirm-horizon}, then dropped: the repair sweep republishes from
 * {@code publishedSeq + 1}, so forgetting an ack can only cause a duplicate, never a loss.
 */
@ApplicationScoped
public class PublishConfirmations {

    private static final Logger LOG = Logger.getLogger(PublishConfirmations.class);
    private static final int PARALLEL_WRITES = 8;

    private final PublicationStore store;
    private final IngestConfig config;
    private final Map<String, Acked> acked = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticker;
    private ExecutorService writers;

    public PublishConfirmations(PublicationStore store, IngestConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Seqs acked by Kafka and not yet confirmed; {@code stuckSince} is when confirming first failed (0: never). */
    private static final class Acked {
        final NavigableSet<Long> seqs = new ConcurrentSkipListSet<>();
        volatile long stuckSince;
    }

    /** Notes that Kafka acked {@code seq} of {@code conversationId}. Called from the producer's I/O thread. */
    public void acked(String conversationId, long seq) {
        acked.compute(conversationId, (id, entry) -> {
            Acked current = entry == null ? new Acked() : entry;
            current.seqs.add(seq);
            return current;
        });
    }

    void start(@Observes StartupEvent event) {
        writers = Executors.newVirtualThreadPerTaskExecutor();
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("publish-confirmations").daemon().factory());
        long interval = config.publish().confirmInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::flushQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (ticker != null) {
            ticker.shutdown();
            try {
                ticker.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flushQuietly();
            writers.shutdown();
        }
    }

    /** One pass: confirms the lowest contiguous run of every conversation, a few writes in parallel. */
    void flush() throws InterruptedException {
        Semaphore permits = new Semaphore(PARALLEL_WRITES);
        List<Future<?>> running = new ArrayList<>();
        for (String conversationId : acked.keySet()) {
            permits.acquire();
            running.add(writers.submit(() -> {
                try {
                    confirmLowestRun(conversationId);
                } finally {
                    permits.release();
                }
            }));
        }
        for (Future<?> write : running) {
            try {
                write.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.debugf("confirming a publish failed: %s", e.getCause().toString());
            }
        }
    }

    private void confirmLowestRun(String conversationId) {
        Acked entry = acked.get(conversationId);
        if (entry == null || entry.seqs.isEmpty()) {
            acked.computeIfPresent(conversationId, (id, current) -> current.seqs.isEmpty() ? null : current);
            return;
        }
        long from = entry.seqs.first();
        long to = from;
        while (entry.seqs.contains(to + 1)) {
            to++;
        }
        Confirmation confirmation = store.confirm(conversationId, from, to);
        long now = System.currentTimeMillis();
        if (confirmation == Confirmation.NOT_YET) {
            if (entry.stuckSince == 0) {
                entry.stuckSince = now;
            } else if (now - entry.stuckSince > config.publish().confirmHorizon().toMillis()) {
                entry.seqs.headSet(to, true).clear();
                entry.stuckSince = 0;
            }
        } else {
            entry.seqs.headSet(to, true).clear();
            entry.stuckSince = 0;
        }
        acked.computeIfPresent(conversationId, (id, current) -> current.seqs.isEmpty() ? null : current);
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("confirming publishes failed; retrying next pass: %s", e.toString());
        }
    }
}
