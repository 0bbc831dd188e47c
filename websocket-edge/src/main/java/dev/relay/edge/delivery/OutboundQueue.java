package dev.relay.edge.delivery;

import java.util.ArrayDeque;

/**
 * One connection's frames on their way to the socket: waiting here, or handed to the socket and not
 * yet written (in flight). Both count against the bounds, so what a connection holds never exceeds
 * {@code maxFrames} frames and {@code maxChars} characters, whatever its client does. Sizes are
 * counted in characters: the frames are ASCII-mostly JSON, where that equals bytes.
 *
 * <p>Not thread-safe: its {@link EdgeConnection} calls it under its own lock. It reports what it holds
 * to a {@link QueueGauge} only, so every change of its counts is matched by a release.
 */
final class OutboundQueue {

    private final int maxFrames;
    private final long maxChars;
    private final int maxInFlight;
    private final QueueGauge gauge;
    private final ArrayDeque<Outbound> waiting = new ArrayDeque<>(4);
    private int frames;
    private long chars;
    private int inFlight;

    OutboundQueue(int maxFrames, long maxChars, int maxInFlight, QueueGauge gauge) {
        this.maxFrames = maxFrames;
        this.maxChars = maxChars;
        this.maxInFlight = maxInFlight;
        this.gauge = gauge;
    }

    /**
     * Queues a frame unless that would pass a bound. A single frame larger than the byte bound is
     * still taken when nothing else is queued, so an oversized frame cannot wedge a healthy client.
     *
     * @return false on overflow: the caller drops the queue and closes with 4009
     */
    boolean offer(String text, String conversationId) {
        if (frames + 1 > maxFrames || (frames > 0 && chars + text.length() > maxChars)) {
            return false;
        }
        waiting.add(new Outbound(text, conversationId));
        frames++;
        chars += text.length();
        gauge.queued(1, text.length());
        return true;
    }

    /** The next frame to hand to the socket, or null while the in-flight window is full or nothing waits. */
    String nextToWrite() {
        if (inFlight >= maxInFlight || waiting.isEmpty()) {
            return null;
        }
        inFlight++;
        return waiting.poll().text();
    }

    /** Drops the waiting frames of one conversation (those in flight are the socket's already). */
    void dropConversation(String conversationId) {
        var it = waiting.iterator();
        while (it.hasNext()) {
            Outbound next = it.next();
            if (conversationId.equals(next.conversationId())) {
                it.remove();
                frames--;
                chars -= next.text().length();
                gauge.queued(-1, -next.text().length());
            }
        }
    }

    /** A write handed out by {@link #nextToWrite()} finished (written or failed). */
    void written(String text) {
        inFlight--;
        frames--;
        chars -= text.length();
        gauge.queued(-1, -text.length());
    }

    /** Forgets everything, including what is in flight (whose completions the caller then ignores). */
    void clear() {
        gauge.queued(-frames, -chars);
        waiting.clear();
        frames = 0;
        chars = 0;
        inFlight = 0;
    }

    int frames() {
        return frames;
    }

    /** A frame on its way, with the conversation it belongs to (null for hello, pong, error, …). */
    private record Outbound(String text, String conversationId) {
    }
}
