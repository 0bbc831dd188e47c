package dev.relay.edge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The queue's bounds (websocket-edge README "Bounded queue"): frames waiting or in flight count
 * against {@code maxFrames} and {@code maxChars}, at most {@code maxInFlight} are handed to the
 * socket at once. {@code offer} answering false is the overflow on which the connection drops the
 * queue and closes with 4009 (API.md: "too slow — reconnect and sync"); every frame counted is
 * released to the gauge exactly once.
 */
class OutboundQueueTest {

    private final CountingGauge gauge = new CountingGauge();

    @Test
    void aFrameBeyondMaxFramesOverflows() {
        OutboundQueue queue = new OutboundQueue(3, 1_000, 16, gauge);

        assertThat(queue.offer("a", null)).isTrue();
        assertThat(queue.offer("b", null)).isTrue();
        assertThat(queue.offer("c", null)).isTrue();
        assertThat(queue.offer("d", null)).isFalse();

        assertThat(queue.frames()).isEqualTo(3);
        assertThat(gauge.frames).isEqualTo(3);
        assertThat(gauge.chars).isEqualTo(3);
    }

    @Test
    void aFramePassingMaxCharsOverflowsAndOneThatFillsItExactlyDoesNot() {
        OutboundQueue queue = new OutboundQueue(100, 10, 16, gauge);

        assertThat(queue.offer("12345", null)).isTrue();
        assertThat(queue.offer("123456", null)).isFalse();
        assertThat(queue.offer("12345", null)).isTrue();
        assertThat(queue.offer("1", null)).isFalse();

        assertThat(gauge.chars).isEqualTo(10);
    }

    @Test
    void oneFrameLargerThanMaxCharsIsTakenWhenNothingElseIsQueued() {
        OutboundQueue queue = new OutboundQueue(100, 10, 16, gauge);

        assertThat(queue.offer("x".repeat(50), null)).isTrue();
        assertThat(queue.offer("y", null)).isFalse();
        assertThat(queue.nextToWrite()).isEqualTo("x".repeat(50));
    }

    @Test
    void atMostMaxInFlightFramesAreHandedToTheSocketInOrder() {
        OutboundQueue queue = new OutboundQueue(100, 1_000, 2, gauge);
        queue.offer("1", null);
        queue.offer("2", null);
        queue.offer("3", null);

        assertThat(queue.nextToWrite()).isEqualTo("1");
        assertThat(queue.nextToWrite()).isEqualTo("2");
        assertThat(queue.nextToWrite()).as("the in-flight window is full").isNull();

        queue.written("1");
        assertThat(queue.nextToWrite()).isEqualTo("3");
        assertThat(queue.nextToWrite()).as("nothing waits").isNull();
    }

    @Test
    void framesInFlightStillCountAgainstTheBoundsUntilWritten() {
        OutboundQueue queue = new OutboundQueue(2, 1_000, 16, gauge);
        queue.offer("1", null);
        queue.offer("2", null);
        queue.nextToWrite();
        queue.nextToWrite();

        assertThat(queue.offer("3", null)).isFalse();

        queue.written("1");
        assertThat(queue.offer("3", null)).isTrue();
        assertThat(gauge.frames).isEqualTo(2);
    }

    @Test
    void droppingAConversationRemovesOnlyItsWaitingFrames() {
        OutboundQueue queue = new OutboundQueue(100, 20, 1, gauge);
        queue.offer("a1", "a");
        queue.offer("b1", "b");
        queue.offer("a2", "a");
        queue.offer("hello", null);
        assertThat(queue.nextToWrite()).isEqualTo("a1");

        queue.dropConversation("a");

        assertThat(queue.frames()).as("a1 is the socket's already; a2 is gone").isEqualTo(3);
        assertThat(gauge.frames).isEqualTo(3);
        assertThat(gauge.chars).isEqualTo("a1b1hello".length());
        assertThat(queue.offer("x".repeat(11), null)).as("a2's room is free again: 9 + 11 fits 20").isTrue();
        queue.written("a1");
        assertThat(queue.nextToWrite()).isEqualTo("b1");
        queue.written("b1");
        assertThat(queue.nextToWrite()).isEqualTo("hello");
    }

    @Test
    void clearingReleasesEverythingItCountedIncludingWhatIsInFlight() {
        OutboundQueue queue = new OutboundQueue(100, 1_000, 2, gauge);
        queue.offer("one", "a");
        queue.offer("two", "b");
        queue.offer("three", null);
        queue.nextToWrite();

        queue.clear();

        assertThat(queue.frames()).isZero();
        assertThat(gauge.frames).isZero();
        assertThat(gauge.chars).isZero();
        assertThat(queue.nextToWrite()).isNull();
        assertThat(queue.offer("after", null)).as("a cleared queue has its whole window again").isTrue();
    }

    /** The sum of every change the queue reported: what it holds, as the node's gauges see it. */
    private static final class CountingGauge implements QueueGauge {

        long frames;
        long chars;

        @Override
        public void queued(long frames, long chars) {
            this.frames += frames;
            this.chars += chars;
        }
    }
}
