package dev.relay.fanout.route;

import dev.relay.fanout.config.FanoutConfig;
import dev.relay.platform.retry.Backoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holds a partition's routing while a dependency is unavailable: the caller keeps its record (and so
 * the batch's offsets) and waits here with capped exponential back-off ({@code retry.initial-delay}
 * doubling to {@code retry.max-delay}, with jitter) between tries, for as long as the outage lasts.
 *
 * <p>Invariant: {@link #unavailable()} names a dependency exactly while at least one partition is
 * waiting on it, with the moment the first of them started waiting; readiness reports it.
 */
@ApplicationScoped
public class RoutingPause {

    private final Backoff backoff;
    private final Duration jitter;
    private final Clock clock;
    private final Map<String, Waiting> waiting = new TreeMap<>();

    private record Waiting(Instant since, int partitions) {
    }

    @Inject
    public RoutingPause(FanoutConfig config) {
        this(config.retry().initialDelay().toMillis(), config.retry().maxDelay().toMillis(),
                config.retry().jitter().toMillis(), Clock.systemUTC());
    }

    RoutingPause(long initialDelayMillis, long maxDelayMillis, long jitterMillis, Clock clock) {
        long initial = Math.max(1, initialDelayMillis);
        this.backoff = new Backoff(Duration.ofMillis(initial), Duration.ofMillis(Math.max(initial, maxDelayMillis)));
        this.jitter = Duration.ofMillis(jitterMillis);
        this.clock = clock;
    }

    /** Registers one waiting partition on {@code dependency}; pair with {@link #leave(String)}. */
    public synchronized void enter(String dependency) {
        waiting.merge(dependency, new Waiting(clock.instant(), 1),
                (old, added) -> new Waiting(old.since(), old.partitions() + 1));
    }

    public synchronized void leave(String dependency) {
        waiting.computeIfPresent(dependency, (d, w) -> w.partitions() <= 1 ? null : new Waiting(w.since(), w.partitions() - 1));
    }

    /** Each dependency some partition is waiting on, with when the waiting started. */
    public synchronized Map<String, Instant> unavailable() {
        Map<String, Instant> since = new TreeMap<>();
        waiting.forEach((dependency, w) -> since.put(dependency, w.since()));
        return since;
    }

    /**
     * Sleeps before try number {@code round + 1} of an outage (round counts from 0).
     *
     * @throws IllegalStateException when interrupted (shutting down), with the interrupt flag kept
     */
    public void backOff(int round) {
        try {
            Thread.sleep(backoff.around(round, jitter));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while routing is paused", e);
        }
    }
}
