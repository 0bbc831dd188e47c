package dev.relay.platform.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

    @Test
    void theCeilingDoublesFromTheInitialDelayUpToTheCap() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(10_000)).as("no overflow however many retries").isEqualTo(Duration.ofSeconds(2));
    }

    @RepeatedTest(20)
    void fullJitterStaysWithinZeroAndTheCeiling() {
        assertThat(backoff.fullJitter(3)).isBetween(Duration.ZERO, Duration.ofMillis(400));
    }

    @RepeatedTest(20)
    void jitterAroundTheCeilingStaysWithinItsBoundsAndAboveOneMillisecond() {
        assertThat(backoff.around(1, Duration.ofMillis(30))).isBetween(Duration.ofMillis(70), Duration.ofMillis(130));
        assertThat(backoff.around(0, Duration.ofSeconds(1))).isGreaterThanOrEqualTo(Duration.ofMillis(1));
        assertThat(backoff.around(2, Duration.ZERO)).isEqualTo(Duration.ofMillis(200));
    }
}
