package dev.relay.edge.delivery;

import dev.relay.contract.frame.ServerFrame;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-conversation streams of one connection and the unacked messages they keep for re-sends,
 * counted across all of them against {@code ack.max-unacked} and {@code ack.max-unacked-bytes}.
 * It is every stream's {@link StreamOutput}: what a stream pushes, re-sends or resyncs goes to the
 * {@link FrameSink}, and every unacked message it counts is released to the {@code relay_edge_unacked}
 * gauge once (acked, dropped by its stream, or by {@link #release}).
 *
 * <p>Not thread-safe: its connection calls it under its own lock, and the sink runs under that lock
 * too. A stream exists only for a conversation something was routed to here, so acks naming other
 * conversations keep no state.
 */
final class ConnectionStreams {

    private final ConnectionLimits limits;
    private final EdgeMetrics metrics;
    private final FrameJson json;
    private final FrameSink sink;
    private final StreamOutput streamOutput = new Counted();
    private Map<String, ConversationStream> streams;
    private boolean released;
    private int unacked;
    /** Characters of the unacked messages kept for re-sends. */
    private long unackedChars;

    ConnectionStreams(ConnectionLimits limits, EdgeMetrics metrics, FrameJson json, FrameSink sink) {
        this.limits = limits;
        this.metrics = metrics;
        this.json = json;
        this.sink = sink;
    }

    /** A stored message routed to this connection; {@code own} when the connection's user sent it. */
    void offer(String conversationId, long seq, String text, boolean own, long now) {
        if (released) {
            return;
        }
        if (streams == null) {
            streams = new HashMap<>(4);
        }
        streams.computeIfAbsent(conversationId, id -> new ConversationStream(id, limits, streamOutput))
                .offer(seq, text, own, now);
    }

    /** More unacked messages or characters are kept than the limits allow: the client is too slow. */
    boolean overLimits() {
        return unacked > limits.maxUnacked() || unackedChars > limits.maxUnackedChars();
    }

    /**
     * A cumulative ack. Returns the seq to write as the user's {@code deliveredSeq}, or 0 when the ack
     * proves nothing new: nothing was pushed on the conversation here, or it reaches no further than
     * the user's own latest message (whose append already wrote it).
     */
    long ack(String conversationId, long seq, long now) {
        ConversationStream stream = streams == null ? null : streams.get(conversationId);
        if (stream == null) {
            return 0;
        }
        long delivered = stream.ack(seq, now);
        return delivered > stream.highestOwn() ? delivered : 0;
    }

    /** Drops the conversation's stream, unacked and held messages; a later message starts a new baseline. */
    void forget(String conversationId) {
        ConversationStream stream = streams == null ? null : streams.remove(conversationId);
        if (stream != null) {
            stream.dropAll();
        }
    }

    /** Re-sends, resyncs and gap holds of every busy stream; stops once a frame ends the connection. */
    void tick(long now) {
        if (streams == null) {
            return;
        }
        for (ConversationStream stream : streams.values()) {
            if (!stream.idle()) {
                stream.tick(now);
                if (released) {
                    return;
                }
            }
        }
    }

    /** The connection ended: forget every stream and release all unacked counts to the gauge. */
    void release() {
        released = true;
        streams = null;
        metrics.unackedDropped(unacked);
        unacked = 0;
        unackedChars = 0;
    }

    /** Conversations with a stream here (only those something was routed to). */
    int tracked() {
        return streams == null ? 0 : streams.size();
    }

    int unacked() {
        return unacked;
    }

    /**
     * The streams' view of their connection: frames to the sink, unacked counts kept here. Once
     * released it takes nothing: a stream still pushing within the call whose frame ended the
     * connection (a gap fill pushes several) must not count messages no one will release.
     */
    private final class Counted implements StreamOutput {

        @Override
        public void pushed(String text, String conversationId) {
            if (released) {
                return;
            }
            unacked++;
            unackedChars += text.length();
            metrics.unackedAdded();
            metrics.push();
            sink.send(text, conversationId);
        }

        @Override
        public void resent(String text, String conversationId) {
            if (released) {
                return;
            }
            metrics.resend();
            sink.send(text, conversationId);
        }

        @Override
        public void resync(String conversationId, String reason) {
            if (released) {
                return;
            }
            sink.send(json.write(new ServerFrame.Resync(conversationId, reason)), conversationId);
        }

        @Override
        public void acked(long pushToAckMillis, int chars) {
            if (released) {
                return;
            }
            unacked--;
            unackedChars -= chars;
            metrics.unackedDropped(1);
            metrics.pushToAck(pushToAckMillis);
        }

        @Override
        public void unackedDropped(int count, long chars) {
            if (released) {
                return;
            }
            unacked -= count;
            unackedChars -= chars;
            metrics.unackedDropped(count);
        }
    }
}
