package dev.relay.edge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection's unacked accounting across its conversations (websocket-edge README "Re-send and
 * resync bounds", "Acks"): the counts that close with 4009, the seq an ack writes as
 * {@code deliveredSeq}, and every counted message released to the {@code relay_edge_unacked} gauge
 * once. No servers, no clock: time is given as ticks.
 */
class ConnectionStreamsTest {

    private static final long ACK_TIMEOUT = 1_000;
    private static final int MAX_RESENDS = 1;
    private static final int MAX_UNACKED = 3;
    private static final long MAX_UNACKED_CHARS = 100;
    private static final ConnectionLimits LIMITS = new ConnectionLimits(512, 1 << 20, 16,
            ACK_TIMEOUT, MAX_RESENDS, MAX_UNACKED, MAX_UNACKED_CHARS, 2_000, 50_000, 10, 25);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordedSink sink = new RecordedSink();
    private final ConnectionStreams streams = new ConnectionStreams(LIMITS, new EdgeMetrics(registry),
            new FrameJson(new ObjectMapper()), sink);

    @Test
    void unackedMessagesOfAllConversationsCountTogetherAgainstMaxUnacked() {
        offer("c1", 1);
        offer("c1", 2);
        offer("c2", 7);
        assertThat(streams.overLimits()).isFalse();

        offer("c2", 8);

        assertThat(streams.unacked()).isEqualTo(4);
        assertThat(streams.overLimits()).isTrue();
        assertThat(streams.tracked()).isEqualTo(2);
        assertThat(unackedGauge()).isEqualTo(4);
        assertThat(sink.frames).containsExactly("c1 " + text(1), "c1 " + text(2), "c2 " + text(7), "c2 " + text(8));
    }

    @Test
    void unackedCharactersCountAgainstMaxUnackedBytes() {
        streams.offer("c1", 1, "x".repeat(60), false, 0);
        assertThat(streams.overLimits()).isFalse();

        streams.offer("c2", 1, "y".repeat(41), false, 0);

        assertThat(streams.overLimits()).isTrue();
        streams.ack("c2", 1, 10);
        assertThat(streams.overLimits()).isFalse();
    }

    @Test
    void anAckWritesDeliveredSeqOnlyBeyondTheUsersOwnLatestMessage() {
        streams.offer("c1", 1, text(1), true, 0);
        streams.offer("c1", 2, text(2), true, 0);
        offer("c1", 3);

        assertThat(streams.ack("c1", 2, 10)).as("the append of 2 already wrote it").isZero();
        assertThat(streams.ack("c1", 3, 20)).isEqualTo(3);
        assertThat(streams.unacked()).isZero();
        assertThat(unackedGauge()).isZero();
    }

    @Test
    void anAckOfAConversationWithNothingPushedHereKeepsNoState() {
        offer("c1", 1);

        assertThat(streams.ack("made-up", 5, 10)).isZero();

        assertThat(streams.tracked()).isEqualTo(1);
        assertThat(streams.unacked()).isEqualTo(1);
    }

    @Test
    void forgettingAConversationReleasesItsUnackedAndAfterwardsStartsANewBaseline() {
        offer("c1", 1);
        offer("c2", 1);
        offer("c2", 2);

        streams.forget("c2");

        assertThat(streams.unacked()).isEqualTo(1);
        assertThat(unackedGauge()).isEqualTo(1);
        assertThat(streams.tracked()).isEqualTo(1);
        offer("c2", 9);
        assertThat(sink.frames).last().isEqualTo("c2 " + text(9));
    }

    @Test
    void releaseForgetsEveryStreamAndReturnsEveryCountToTheGauge() {
        offer("c1", 1);
        offer("c2", 1);

        streams.release();

        assertThat(streams.unacked()).isZero();
        assertThat(streams.tracked()).isZero();
        assertThat(streams.overLimits()).isFalse();
        assertThat(unackedGauge()).isZero();
        streams.tick(ACK_TIMEOUT);
        assertThat(sink.frames).hasSize(2);
    }

    @Test
    void aTickResendsWhatTimedOutThenResyncsAfterTheLastResend() {
        offer("c1", 1);

        streams.tick(ACK_TIMEOUT);
        streams.tick(2 * ACK_TIMEOUT);

        assertThat(sink.frames).hasSize(3);
        assertThat(sink.frames.get(1)).isEqualTo("c1 " + text(1));
        assertThat(sink.frames.get(2)).startsWith("c1 ").contains("\"resync\"").contains("\"unacked\"");
        assertThat(registry.get("relay.edge.resends").counter().count()).isEqualTo(1);
        assertThat(streams.unacked()).isZero();
        assertThat(unackedGauge()).isZero();
    }

    @Test
    void aTickStopsAtTheFrameThatEndsTheConnection() {
        offer("c1", 1);
        offer("c2", 1);
        offer("c3", 1);
        // as a queue overflow closing the connection from inside the first re-send would
        sink.onSend = streams::release;

        streams.tick(ACK_TIMEOUT);

        assertThat(sink.frames).hasSize(4);
        assertThat(unackedGauge()).isZero();
    }

    @Test
    void pushesAfterTheFrameThatEndsTheConnectionCountNothing() {
        offer("c1", 1);
        offer("c1", 3);
        offer("c1", 4);
        // the fill of the gap pushes 2, 3 and 4 at once; the first overflows the queue and ends the connection
        sink.onSend = streams::release;

        offer("c1", 2);

        assertThat(streams.unacked()).isZero();
        assertThat(unackedGauge()).isZero();
        assertThat(registry.get("relay.edge.pushes").counter().count()).as("pushes counted").isEqualTo(2);
    }

    private void offer(String conversationId, long seq) {
        streams.offer(conversationId, seq, text(seq), false, 0);
    }

    private double unackedGauge() {
        return registry.get("relay.edge.unacked").gauge().value();
    }

    private static String text(long seq) {
        return "{\"type\":\"message\",\"seq\":" + seq + "}";
    }

    /** Frames handed to the connection's queue, as "conversationId text", in order. */
    private static final class RecordedSink implements FrameSink {

        final List<String> frames = new ArrayList<>();
        Runnable onSend = () -> { };

        @Override
        public void send(String text, String conversationId) {
            frames.add(conversationId + " " + text);
            onSend.run();
        }
    }
}
