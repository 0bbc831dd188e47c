package dev.relay.fanout.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness names a dependency exactly while some partition waits on it, since the first one started. */
class RoutingPauseTest {

    private static final Instant T0 = Instant.parse("2026-12-04T20:00:00Z");

    @Test
    void aDependencyIsReportedFromTheFirstWaitingPartitionUntilTheLastLeaves() {
        RoutingPause pause = new RoutingPause(50, 2000, 0, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(pause.unavailable()).isEmpty();

        pause.enter("redis");
        pause.enter("redis");
        pause.enter("dynamodb");
        assertThat(pause.unavailable()).isEqualTo(Map.of("redis", T0, "dynamodb", T0));

        pause.leave("redis");
        assertThat(pause.unavailable()).containsOnlyKeys("redis", "dynamodb");
        pause.leave("dynamodb");
        pause.leave("redis");
        assertThat(pause.unavailable()).isEmpty();

        pause.leave("redis");
        assertThat(pause.unavailable()).as("an extra leave does not go negative").isEmpty();
        pause.enter("redis");
        assertThat(pause.unavailable()).containsOnlyKeys("redis");
    }

    @Test
    void anInterruptedWaitStopsAndKeepsTheInterrupt() {
        RoutingPause pause = new RoutingPause(50, 2000, 0, Clock.systemUTC());
        Thread.currentThread().interrupt();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pause.backOff(10))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
