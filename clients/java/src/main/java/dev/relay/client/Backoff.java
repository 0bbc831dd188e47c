package dev.relay.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Full-jitter exponential back-off: attempt n waits a uniform random time in
 * [0, min(max, base·2^n)], so a fleet of clients cut off at once does not come back at once.
 * Not thread-safe: each owner uses it from one thread.
 */
final class Backoff {

    private final long baseMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.baseMs = Math.max(1, base.toMillis());
        this.maxMs = Math.max(baseMs, max.toMillis());
        this.random = random;
    }

    Duration next() {
        long ceiling = Math.min(maxMs, baseMs << Math.min(attempt, 30));
        attempt++;
        return Duration.ofMillis((long) Math.floor(random.getAsDouble() * ceiling));
    }

    int attempts() {
        return attempt;
    }

    void reset() {
        attempt = 0;
    }
}
