package dev.relay.platform.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void attemptsAreCappedWhileTimeIsLeft() {
        RetryBudget.Run run = new RetryBudget(4, Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO).start(now::get);
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(run.mayRetry()).isTrue();
        assertThat(run.mayRetry()).isTrue();
        assertThat(run.mayRetry()).isTrue();
        assertThat(run.attempts()).isEqualTo(4);
        assertThat(run.mayRetry()).as("a fifth attempt").isFalse();
    }

    @Test
    void theBudgetCountsFromTheFirstFailureAndEndsRetriesHoweverManyAttemptsAreLeft() {
        RetryBudget.Run run = new RetryBudget(64, Duration.ofMillis(300), Duration.ZERO, Duration.ZERO).start(now::get);
        assertThat(run.nanosLeft()).as("before any failure").isEqualTo(Long.MAX_VALUE);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(run.mayRetry()).as("a slow first attempt does not spend the budget").isTrue();
        now.addAndGet(Duration.ofMillis(299).toNanos());
        assertThat(run.mayRetry()).isTrue();
        assertThat(run.nanosLeft()).isEqualTo(Duration.ofMillis(1).toNanos());
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(run.mayRetry()).as("budget spent after 3 attempts").isFalse();
        assertThat(run.attempts()).isEqualTo(3);
        run.backOff();
    }
}
