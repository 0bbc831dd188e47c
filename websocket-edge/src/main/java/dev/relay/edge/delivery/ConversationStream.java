package dev.relay.edge.delivery;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stored messages of one conversation on one connection: pushed in seq order, kept until acked,
 * re-sent a bounded number of times.
 *
 * <p>Gap rule: a stream exists once a message was routed to it, and that first message sets the
 * baseline; an ack counts only up to the highest seq pushed, never above it. From then on a
 * message is pushed only when it is {@code highestPushed + 1}. A later one is held for
 * {@code gapHold}; if the missing seqs do not arrive in time the client gets {@code resync} for the
 * conversation and the held messages are pushed after it. So the client never skips a seq silently:
 * either it sees every seq in order, or it is told to sync. Messages at or below the baseline are
 * dropped: a fresh connection syncs anyway (API: "calls sync after reconnecting").
 *
 * <p>Time is the caller's: every method that depends on it takes {@code now} (epoch millis), so the
 * stream holds no clock and no timer. Not thread-safe: its connection calls it under its own lock,
 * and it reaches the connection only through {@link StreamOutput}.
 */
final class ConversationStream {

    private static final int MAX_HELD = 64;

    private final String conversationId;
    private final ConnectionLimits limits;
    private final StreamOutput out;
    private final TreeMap<Long, Pending> unacked = new TreeMap<>();
    /** Characters of the texts in {@code unacked}. */
    private long unackedChars;
    private TreeMap<Long, String> held;
    private long highestPushed = -1;
    /** Highest seq this connection really pushed; an ack proves delivery only up to it. */
    private long highestSent;
    private long acked;
    private long holdDeadline;
    /**
     * Highest seq seen here that this connection's own user sent. The append that committed it set
     * the sender's {@code deliveredSeq} to it, so an ack up to it proves nothing new.
     */
    private long highestOwn;

    ConversationStream(String conversationId, ConnectionLimits limits, StreamOutput out) {
        this.conversationId = conversationId;
        this.limits = limits;
        this.out = out;
    }

    /** A stored message routed to this connection; {@code own} when its user sent it. */
    void offer(long seq, String text, boolean own, long now) {
        if (own) {
            highestOwn = Math.max(highestOwn, seq);
        }
        if (highestPushed < 0) {
            highestPushed = seq - 1;
        }
        if (seq <= highestPushed || unacked.containsKey(seq)) {
            return;
        }
        if (seq == highestPushed + 1) {
            push(seq, text, now);
            drainHeld(now);
            return;
        }
        if (held == null) {
            held = new TreeMap<>();
        }
        held.put(seq, text);
        if (holdDeadline == 0) {
            holdDeadline = now + limits.gapHoldMillis();
        }
        if (held.size() > MAX_HELD) {
            skipGap(now);
        }
    }

    /**
     * Cumulative ack: frees every unacked seq up to {@code claimed}, counted only up to the highest
     * seq pushed here. Returns the seq the ack proves delivered here, at most the highest pushed, so a
     * client cannot raise {@code deliveredSeq} past what exists, nor silence later pushes.
     */
    long ack(long claimed, long now) {
        // Only what this connection pushed can be acknowledged here; the rest of a claim is ignored,
        // so a client acking ahead (or lying) never moves the baseline past pushes still to come.
        long seq = Math.min(claimed, highestSent);
        acked = Math.max(acked, seq);
        Iterator<Map.Entry<Long, Pending>> it = unacked.headMap(seq, true).entrySet().iterator();
        while (it.hasNext()) {
            Pending pending = it.next().getValue();
            unackedChars -= pending.text.length();
            out.acked(now - pending.firstSentAt, pending.text.length());
            it.remove();
        }
        if (held != null) {
            held.headMap(seq, true).clear();
            drainHeld(now);
        }
        return seq;
    }

    /** Re-sends what timed out, gives up after the last re-send, and ends a gap hold that expired. */
    void tick(long now) {
        if (holdDeadline != 0 && now >= holdDeadline) {
            skipGap(now);
        }
        long timeout = limits.ackTimeoutMillis();
        for (Map.Entry<Long, Pending> entry : unacked.entrySet()) {
            Pending pending = entry.getValue();
            if (now - pending.lastSentAt < timeout) {
                continue;
            }
            if (pending.resends >= limits.maxResends()) {
                out.unackedDropped(unacked.size(), unackedChars);
                unacked.clear();
                unackedChars = 0;
                out.resync(conversationId, "unacked");
                return;
            }
            pending.resends++;
            pending.lastSentAt = now;
            out.resent(pending.text, conversationId);
        }
    }

    /** The conversation is gone for this connection: release what it counted. */
    void dropAll() {
        out.unackedDropped(unacked.size(), unackedChars);
        unacked.clear();
        unackedChars = 0;
        held = null;
        holdDeadline = 0;
    }

    boolean idle() {
        return unacked.isEmpty() && (held == null || held.isEmpty());
    }

    int unackedCount() {
        return unacked.size();
    }

    long highestPushed() {
        return highestPushed;
    }

    long highestOwn() {
        return highestOwn;
    }

    long acked() {
        return acked;
    }

    private void skipGap(long now) {
        holdDeadline = 0;
        out.resync(conversationId, "gap");
        TreeMap<Long, String> pending = held;
        held = null;
        pending.forEach((seq, text) -> push(seq, text, now));
    }

    private void drainHeld(long now) {
        if (held == null) {
            return;
        }
        held.headMap(highestPushed, true).clear();
        String next;
        while ((next = held.remove(highestPushed + 1)) != null) {
            push(highestPushed + 1, next, now);
        }
        if (held.isEmpty()) {
            held = null;
            holdDeadline = 0;
        }
    }

    private void push(long seq, String text, long now) {
        highestPushed = seq;
        highestSent = Math.max(highestSent, seq);
        unacked.put(seq, new Pending(text, now));
        unackedChars += text.length();
        out.pushed(text, conversationId);
    }

    private static final class Pending {
        final String text;
        final long firstSentAt;
        long lastSentAt;
        int resends;

        Pending(String text, long now) {
            this.text = text;
            this.firstSentAt = now;
            this.lastSentAt = now;
        }
    }
}
