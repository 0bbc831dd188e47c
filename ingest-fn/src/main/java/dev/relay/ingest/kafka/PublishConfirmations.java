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
import jakarta.inject.Inject;
import java.time.Duration;
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
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Turns Kafka acks into {@code publishedSeq}, with as few writes as it can: acks are collected in
 * memory per conversation and confirmed by a pass every {@code confirm-interval}, one conditional
 * update per conversation, taken in the conversation's turn and skipped while appends hold it. With
 * {@code relay.ingest.append.acks-in-append.enabled}, the next append to a conversation records the
 * run that follows the last known {@code publishedSeq} in its own transaction ({@link PublishedRuns},
 * {@code AcksInAppend}), so a busy conversation needs no confirmation writes at all, and the pass
 * confirms only acks that no append took within one {@code confirm-interval}.
 * Acks this process cannot confirm (a seq below them was published by another process, or never)
 * are kept for {@code confirm-horizon}, then dropped: the repair sweep republishes from
 * {@code publishedSeq + 1}, so forgetting an ack can only cause a duplicate, never a loss.
 */
@ApplicationScoped
public class PublishConfirmations implements PublishedRuns {

    private static final Logger LOG = Logger.getLogger(PublishConfirmations.class);
    private static final int PARALLEL_WRITES = 8;
    private static final int MAX_KNOWN = 100_000;

    /** Raises {@code publishedSeq} over seqs {@code from..to} of a conversation ({@link PublicationStore#confirm}). */
    @FunctionalInterface
    interface Confirmer {
        Confirmation confirm(String conversationId, long from, long to);
    }

    private final Confirmer store;
    private final ConversationTurns turns;
    private final long intervalMillis;
    private final long horizonMillis;
    /** Appends record acks ({@code relay.ingest.append.acks-in-append.enabled}); else every pass confirms them all. */
    private final boolean appendsRecordAcks;
    private final IngestMetrics metrics;
    private final LongSupplier clock;
    private final Map<String, Acked> acked = new ConcurrentHashMap<>();
    /** The highest {@code publishedSeq} this process wrote or saw per conversation; never ahead of the stored value. */
    private final Map<String, Long> known = new ConcurrentHashMap<>();
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService ticker;

    @Inject
    public PublishConfirmations(PublicationStore store, ConversationTurns turns, IngestConfig config, IngestMetrics metrics) {
        this(store::confirm, turns, config.publish().confirmInterval(), config.publish().confirmHorizon(),
                config.append().acksInAppend().enabled(), metrics, System::currentTimeMillis);
    }

    /**
     * @param interval          how long acks wait for an append to record them, and how often the pass runs
     * @param horizon           how long acks that cannot be confirmed (a gap below them) are kept
     * @param appendsRecordAcks whether appends record acks; without them no pass waits for one
     * @param clock             milliseconds, for the ages of acks
     */
    PublishConfirmations(Confirmer store, ConversationTurns turns, Duration interval, Duration horizon,
                         boolean appendsRecordAcks, IngestMetrics metrics, LongSupplier clock) {
        this.store = store;
        this.turns = turns;
        this.intervalMillis = interval.toMillis();
        this.horizonMillis = horizon.toMillis();
        this.appendsRecordAcks = appendsRecordAcks;
        this.metrics = metrics;
        this.clock = clock;
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
                current.waitingSince = clock.getAsLong();
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
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("publish-confirmations").daemon().factory());
        ticker.scheduleWithFixedDelay(this::pass, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
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
        }
        writers.shutdown();
    }

    /** The periodic pass: acks an append may still record wait one interval; without such appends none wait. */
    void pass() {
        flushQuietly(!appendsRecordAcks);
    }

    /**
     * One pass: confirms the lowest contiguous run of every conversation whose acks waited at least
     * {@code confirm-interval} (or all of them when {@code everything}), a few writes in parallel.
     */
    void flush(boolean everything) throws InterruptedException {
        Semaphore permits = new Semaphore(PARALLEL_WRITES);
        List<Future<?>> running = new ArrayList<>();
        long waitedSince = clock.getAsLong() - intervalMillis;
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
        long now = clock.getAsLong();
        if (entry.stuckSince == 0) {
            entry.stuckSince = now;
        } else if (now - entry.stuckSince > horizonMillis) {
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
