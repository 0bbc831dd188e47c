package dev.relay.e2e;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the senders were told: every send that got a 2xx, by conversation and seq. Invariants it
 * checks as answers arrive: one key gets one seq and one message id, however often it was answered
 * (201 then 200 replays); one (conversation, seq) belongs to one message id.
 */
final class SendLedger {

    /** One 2xx'd send. */
    record Acked(String conversationId, long seq, String messageId, String body, String key) {
    }

    private final Map<String, NavigableMap<Long, Acked>> byConversation = new ConcurrentHashMap<>();
    private final Map<String, Acked> byKey = new ConcurrentHashMap<>();
    /** Contradictions between answers: each one is a broken exactly-once promise. */
    final List<String> conflicts = new CopyOnWriteArrayList<>();
    private final AtomicLong acked = new AtomicLong();

    void acked(Acked send) {
        Acked earlier = byKey.putIfAbsent(send.key(), send);
        if (earlier != null) {
            if (earlier.seq() != send.seq() || !earlier.messageId().equals(send.messageId())) {
                conflicts.add("key " + send.key() + " answered " + earlier + " and then " + send);
            }
            return;
        }
        Acked other = byConversation.computeIfAbsent(send.conversationId(), c -> new ConcurrentSkipListMap<>())
                .putIfAbsent(send.seq(), send);
        if (other != null) {
            conflicts.add("seq " + send.seq() + " of " + send.conversationId() + " answered to two keys: " + other + " and " + send);
        }
        acked.incrementAndGet();
    }

    /** Distinct sends (keys) that got a 2xx. */
    long ackedSends() {
        return acked.get();
    }

    /** The highest seq any sender was given in the conversation (0 if none). */
    long highestSeq(String conversationId) {
        NavigableMap<Long, Acked> sends = byConversation.get(conversationId);
        return sends == null || sends.isEmpty() ? 0 : sends.lastKey();
    }

    NavigableMap<Long, Acked> of(String conversationId) {
        return byConversation.getOrDefault(conversationId, new ConcurrentSkipListMap<>());
    }
}
