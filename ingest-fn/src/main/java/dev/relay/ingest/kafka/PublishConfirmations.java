package dev.relay.ingest.kafka;

import dev.relay.ingest.append.ConversationTurns;
import dev.relay.ingest.append.PublishedRuns;
import dev.relay.ingest.append.SeqRun;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.ingest.config.IngestMetrics;
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
 * Turns Kafka acks into {@code publishedSeq}, with as few writes as it can: acks are collected in
 * memory per conversation, and the next append to that conversation records the run that follows
 * the last known {@code publishedSeq} in its own transaction ({@link PublishedRuns}), so a busy
 * conversation needs no confirmation writes at all. Acks no append took within one
 * {@code confirm-interval} are confirmed by a pass every {@code confirm-interval}, one conditional
 * update per conversation, taken in the conversation's turn and skipped while appends hold it.
 * Acks this process cannot confirm (a seq below them was published by another process, or never)
 * are kept for {@code confirm-horizon}, then dropped: the repair sweep republishes from
 * {@code publishedSeq + 1}, so forgetting an ack can only cause a duplicate, never a loss.
 */
@ApplicationScoped
public class PublishConfirmations implements PublishedRuns {

    private static final Logger LOG = Logger.getLogger(PublishConfirmations.class);
    private static final int PARALLEL_WRITES = 8;
    private static final int MAX_KNOWN = 100_000;

    private final PublicationStore store;
    private final ConversationTurns turns;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final Map<String, Acked> acked = new ConcurrentHashMap<>();
    /** The highest {@code publishedSeq} this process wrote or saw per conversation; never ahead of the stored value. */
    private final Map<String, Long> known = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticker;
    private ExecutorService writers;

    public PublishConfirmations(PublicationStore store, ConversationTurns turns, IngestConfig config, IngestMetrics metrics) {
        this.store = store;
        this.turns = turns;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Seqs acked by Kafka and not yet confirmed; {@code waitingSince} is when the oldest of them
     * arrived (ms), {@code stuckSince} when confirming first failed (0: never).
     */
    private static final class Acked {
        final NavigableSet<Long> seqs = new ConcurrentSkipListSet<>();
        volatile long waitingSince;
        volatile long stuckSince;
    }

    /** Notes that Kafka acked {@code seq} of {@code conversationId}. Called from the producer's I/O thread. */
    public void acked(String conversationId, long seq) {
        acked.compute(conversationId, (id, entry) -> {
            Acked current = entry == null ? new Acked() : entry;
            if (current.seqs.isEmpty()) {
                current.waitingSince = System.currentTimeMillis();
            }
            current.seqs.add(seq);
            return current;
        });
    }

    @Override
    public SeqRun next(String conversationId) {
        Acked entry = acked.get(conversationId);
        if (entry == null) {
            return null;
        }
        Long first = entry.seqs.ceiling(Long.MIN_VALUE);
        Long published = known.get(conversationId);
        // Without a known publishedSeq only a run from seq 1 is safe to offer; the condition checks it anyway.
        if (first == null || first != (published == null ? 1 : published + 1)) {
            return null;
        }
        return new SeqRun(first, contiguousFrom(entry, first));
    }

    @Override
    public void recorded(String conversationId, SeqRun run) {
        metrics.confirmedByAppend();
        covered(conversationId, run.to());
    }

    @Override
    public void observed(String conversationId, long publishedSeq) {
        covered(conversationId, publishedSeq);
    }

    /** {@code publishedSeq} is known to be at least {@code seq}: forget the acks it covers. */
    private void covered(String conversationId, long seq) {
        if (known.size() >= MAX_KNOWN) {
            known.clear();
        }
        known.merge(conversationId, seq, Math::max);
        Acked entry = acked.get(conversationId);
        if (entry != null) {
            entry.seqs.headSet(seq, true).clear();
            entry.stuckSince = 0;
            acked.computeIfPresent(conversationId, (id, current) -> current.seqs.isEmpty() ? null : current);
        }
    }

    private static long contiguousFrom(Acked entry, long from) {
        long to = from;
        while (entry.seqs.contains(to + 1)) {
            to++;
        }
        return to;
    }

    void start(@Observes StartupEvent event) {
        writers = Executors.newVirtualThreadPerTaskExecutor();
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("publish-confirmations").daemon().factory());
        long interval = config.publish().confirmInterval().toMillis();
        ticker.scheduleWithFixedDelay(() -> flushQuietly(false), interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (ticker != null) {
            ticker.shutdown();
            try {
                ticker.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flushQuietly(true);
            writers.shutdown();
        }
    }

    /**
     * One pass: confirms the lowest contiguous run of every conversation whose acks waited at least
     * {@code confirm-interval} (or all of them when {@code everything}), a few writes in parallel.
     */
    void flush(boolean everything) throws InterruptedException {
        Semaphore permits = new Semaphore(PARALLEL_WRITES);
        List<Future<?>> running = new ArrayList<>();
        long waitedSince = System.currentTimeMillis() - config.publish().confirmInterval().toMillis();
        for (Map.Entry<String, Acked> waiting : acked.entrySet()) {
            if (!everything && waiting.getValue().waitingSince > waitedSince) {
                continue;
            }
            String conversationId = waiting.getKey();
            permits.acquire();
            running.add(writers.submit(() -> {
                try {
                    // Inside the conversation's turn, so it never races this process's appends (which
                    // would record the same acks); a conversation being appended to is left to them.
                    turns.whenIdle(conversationId, () -> confirmLowestRun(conversationId));
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
        long to = contiguousFrom(entry, from);
        Confirmation confirmation = store.confirm(conversationId, from, to);
        if (confirmation != Confirmation.NOT_YET) {
            if (confirmation == Confirmation.CONFIRMED) {
                metrics.confirmedByUpdate();
            }
            covered(conversationId, to);
            return;
        }
        long now = System.currentTimeMillis();
        if (entry.stuckSince == 0) {
            entry.stuckSince = now;
        } else if (now - entry.stuckSince > config.publish().confirmHorizon().toMillis()) {
            entry.seqs.headSet(to, true).clear();
            entry.stuckSince = 0;
        }
        acked.computeIfPresent(conversationId, (id, current) -> current.seqs.isEmpty() ? null : current);
    }

    private void flushQuietly(boolean everything) {
        try {
            flush(everything);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("confirming publishes failed; retrying next pass: %s", e.toString());
        }
    }
}
