package dev.relay.platform.retry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How a store write retries: at most {@code maxAttempts} attempts and at most {@code budget} of
 * time in total, counted from the first failed attempt, with "full jitter" exponential back-off
 * (uniform in [0, min(maxDelay, baseDelay * 2^retry)]) between attempts. Invariant: a back-off never
 * sleeps past the budget, and once the budget is spent no further attempt is allowed, so a caller
 * whose store keeps cancelling (throttling, a hot item) gets its answer within about {@code budget}
 * plus one attempt, however many attempts were left.
 */
public record RetryBudget(int maxAttempts, Duration budget, Duration baseDelay, Duration maxDelay) {

    public RetryBudget {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (budget.isNegative() || baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** A run of attempts for one write; call {@link Run#mayRetry()} after each failed attempt. */
    public Run start() {
        return new Run(this, System::nanoTime);
    }

    /** A run on a given clock (nanoseconds, as {@link System#nanoTime()}); for tests. */
    Run start(LongSupplier nanoClock) {
        return new Run(this, nanoClock);
    }

    /** The attempts of one write. Not thread-safe: one caller's loop. */
    public static final class Run {
        private final RetryBudget budget;
        private final LongSupplier clock;
        private int attempts = 1;
        private long deadline;
        private boolean started;

        private Run(RetryBudget budget, LongSupplier clock) {
            this.budget = budget;
            this.clock = clock;
        }

        /** Attempts made or under way (1 before the first failure). */
        public int attempts() {
            return attempts;
        }

        /**
         * The attempt just made failed: true when another one is allowed (the caller makes it,
         * after {@link #backOff()} if it wants one), false when the attempts or the budget are used up.
         */
        public boolean mayRetry() {
            if (!started) {
                started = true;
                deadline = clock.getAsLong() + budget.budget().toNanos();
            }
            if (attempts >= budget.maxAttempts() || clock.getAsLong() - deadline >= 0) {
                return false;
            }
            attempts++;
            return true;
        }

        /** Nanoseconds left of the budget ({@link Long#MAX_VALUE} before the first failure). */
        public long nanosLeft() {
            return started ? Math.max(0, deadline - clock.getAsLong()) : Long.MAX_VALUE;
        }

        /** The deadline in {@link System#nanoTime()} terms, or {@code fallback} before the first failure. */
        public long deadlineOr(long fallback) {
            return started ? deadline : fallback;
        }

        /** Sleeps the jittered back-off of this retry, never past the budget; keeps an interrupt and throws. */
        public void backOff() {
            long sleep = Math.min(nanosLeft(),
                    new Backoff(budget.baseDelay(), budget.maxDelay()).fullJitter(attempts - 1).toNanos());
            if (sleep <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while backing off", e);
            }
        }
    }
}
