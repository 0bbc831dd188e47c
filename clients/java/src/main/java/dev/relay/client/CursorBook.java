package dev.relay.client;

import dev.relay.contract.wire.Message;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The merge of live pushes and sync pages for one device: one cursor per conversation (the highest
 * seq shown), plus the pushes held back because an earlier seq is still missing.
 *
 * <p>Invariant: a message is shown iff its seq is cursor + 1, and showing it sets cursor = seq. So
 * per conversation the application sees cursor+1, cursor+2, … each exactly once, whatever arrives
 * twice or early. Not thread-safe: the client uses it from its own thread only.
 */
public final class CursorBook {

    /** What {@link #offer} did with a message. */
    public enum Outcome {
        SHOWN,
        /** seq ≤ cursor: already shown. */
        DUPLICATE,
        /** seq > cursor + 1, or a sync is in flight: kept until the seqs before it are shown. */
        HELD
    }

    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<String, TreeMap<Long, Message>> held = new HashMap<>();
    private final BiConsumer<Message, Delivery> show;
    /** Beyond this many held pushes more are dropped: the next sync returns them anyway. */
    private final int maxHeld;
    private int heldCount;

    public CursorBook(Map<String, Long> initial, BiConsumer<Message, Delivery> show, int maxHeld) {
        this.cursors.putAll(initial);
        this.show = show;
        this.maxHeld = maxHeld;
    }

    public long cursor(String conversationId) {
        return cursors.getOrDefault(conversationId, 0L);
    }

    public Map<String, Long> snapshot() {
        return Map.copyOf(cursors);
    }

    /**
     * Offers a message that came by {@code via}; {@code hold} keeps even the next-in-line one back
     * (a sync is in flight, and will show it or release it).
     */
    public Outcome offer(Message message, Delivery via, boolean hold) {
        long cursor = cursor(message.conversationId());
        if (message.seq() <= cursor) {
            return Outcome.DUPLICATE;
        }
        if (hold || message.seq() > cursor + 1) {
            holdBack(message);
            return Outcome.HELD;
        }
        cursors.put(message.conversationId(), message.seq());
        show.accept(message, via);
        release(message.conversationId());
        return Outcome.SHOWN;
    }

    /** Shows the held pushes that have become next in line, in every conversation. */
    public void releaseAll() {
        for (String conversationId : held.keySet().toArray(String[]::new)) {
            release(conversationId);
        }
    }

    /** True while some conversation holds a push above a missing seq. */
    public boolean hasGap() {
        return heldCount > 0;
    }

    private void holdBack(Message message) {
        TreeMap<Long, Message> waiting = held.computeIfAbsent(message.conversationId(), c -> new TreeMap<>());
        if (!waiting.containsKey(message.seq()) && heldCount < maxHeld) {
            waiting.put(message.seq(), message);
            heldCount++;
        }
        if (waiting.isEmpty()) {
            held.remove(message.conversationId());
        }
    }

    private void release(String conversationId) {
        TreeMap<Long, Message> waiting = held.get(conversationId);
        if (waiting == null) {
            return;
        }
        long cursor = cursor(conversationId);
        for (Iterator<Long> stale = waiting.headMap(cursor, true).keySet().iterator(); stale.hasNext(); ) {
            stale.next();
            stale.remove();
            heldCount--;
        }
        for (Message next = waiting.get(cursor + 1); next != null; next = waiting.get(cursor + 1)) {
            waiting.remove(next.seq());
            heldCount--;
            cursor = next.seq();
            cursors.put(conversationId, cursor);
            show.accept(next, Delivery.PUSH);
        }
        if (waiting.isEmpty()) {
            held.remove(conversationId);
        }
    }
}
