package dev.relay.sync.read;

import dev.relay.sync.dynamo.ConversationHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which part of which conversation's log one sync page reads, decided from the heads alone: a
 * conversation is read only when its committed {@code lastSeq} is above the caller's cursor, and
 * never beyond that {@code lastSeq}. Conversations are filled in the given order until
 * {@code limit} messages are planned; seq is gap-free, so a slice of k seqs holds exactly k messages.
 *
 * @param slices  what to read, in page order
 * @param changed conversations with anything above the cursor (read or not)
 */
record SyncPlan(List<Slice> slices, int changed) {

    /**
     * Seqs {@code after+1 .. upTo} of one conversation.
     *
     * @param lastSeq the conversation's committed {@code lastSeq} when the plan was made
     */
    record Slice(String conversationId, long after, long upTo, long lastSeq) {

        long size() {
            return upTo - after;
        }
    }

    /**
     * @param heads   the caller's conversations in page order; every cursor is at most its lastSeq
     * @param cursors highest seq the caller holds per conversation; missing means 0
     */
    static SyncPlan of(List<ConversationHead> heads, Map<String, Long> cursors, int limit) {
        List<Slice> slices = new ArrayList<>();
        int changed = 0;
        long room = limit;
        for (ConversationHead head : heads) {
            long cursor = cursors.getOrDefault(head.conversationId(), 0L);
            long backlog = head.lastSeq() - cursor;
            if (backlog <= 0) {
                continue;
            }
            changed++;
            if (room > 0) {
                long take = Math.min(backlog, room);
                slices.add(new Slice(head.conversationId(), cursor, cursor + take, head.lastSeq()));
                room -= take;
            }
        }
        return new SyncPlan(List.copyOf(slices), changed);
    }
}
