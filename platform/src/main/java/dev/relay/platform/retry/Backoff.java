package dev.relay.platform.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential back-off: retry {@code n} (counted from 0) has the ceiling
 * {@code min(max, initial * 2^n)}. Callers choose the jitter that suits them: {@link #fullJitter}
 * spreads a burst of callers over the whole interval, {@link #around} keeps the ceiling's shape
 * (SmallRye Fault Tolerance's jitter), {@link #ceiling} has none.
 */
public record Backoff(Duration initial, Duration max) {

    /** Doubling stops here: 2^20 times the initial delay is past any cap this code uses. */
    private static final int MAX_DOUBLINGS = 20;

    public Backoff {
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** {@code min(max, initial * 2^retry)}. */
    public Duration ceiling(int retry) {
        return Duration.ofNanos(Math.min(max.toNanos(), initial.toNanos() << Math.min(Math.max(0, retry), MAX_DOUBLINGS)));
    }

    /** Uniform in {@code [0, ceiling(retry)]}. */
    public Duration fullJitter(int retry) {
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling(retry).toNanos() + 1));
    }

    /** {@code ceiling(retry)} moved by a uniform amount in {@code [-jitter, +jitter]} (none for a jitter of 0), never below 1 ms. */
    public Duration around(int retry, Duration jitter) {
        long ceiling = ceiling(retry).toMillis();
        long spread = jitter.toMillis();
        long moved = spread <= 0 ? ceiling : ceiling + ThreadLocalRandom.current().nextLong(-spread, spread + 1);
        return Duration.ofMillis(Math.max(1, moved));
    }
}
