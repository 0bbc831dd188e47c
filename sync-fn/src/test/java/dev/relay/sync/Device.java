package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.SyncResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One device of a user, as API.md describes a client: one cursor per conversation, kept from the
 * last answer. Every message it is handed must be the next seq of its conversation, so a gap, a
 * duplicate or a reordering fails the test at the message that shows it.
 */
public final class Device {

    private final Api api;
    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<String, List<Message>> received = new HashMap<>();
    private int calls;

    public Device(Api api) {
        this.api = api;
    }

    /** One sync call; returns its answer after checking every message against the cursors. */
    public SyncResponse syncOnce(Integer limit) {
        SyncResponse answer = api.sync(Map.copyOf(cursors), limit);
        calls++;
        if (limit != null) {
            assertThat(answer.messages()).hasSizeLessThanOrEqualTo(limit);
        }
        Map<String, Long> held = new HashMap<>();
        received.forEach((id, messages) -> held.put(id, messages.isEmpty() ? 0L : messages.getLast().seq()));
        for (Message message : answer.messages()) {
            long expected = held.getOrDefault(message.conversationId(), 0L) + 1;
            assertThat(message.seq()).as("next seq of %s", message.conversationId()).isEqualTo(expected);
            held.put(message.conversationId(), expected);
            received.computeIfAbsent(message.conversationId(), id -> new ArrayList<>()).add(message);
        }
        // A conversation the caller has left drops out of the cursors; every other one keeps its
        // cursor at the last seq held, never behind it.
        held.forEach((id, seq) -> {
            if (answer.cursors().containsKey(id)) {
                assertThat(answer.cursors()).as("cursor of %s", id).containsEntry(id, seq);
            }
        });
        answer.messages().forEach(message ->
                assertThat(answer.cursors()).as("cursor of %s", message.conversationId()).containsKey(message.conversationId()));
        cursors.clear();
        cursors.putAll(answer.cursors());
        return answer;
    }

    /** Syncs until {@code hasMore} is false; returns the number of calls it took. */
    public int syncUntilDone(Integer limit) {
        for (int page = 1; page <= 10_000; page++) {
            if (!syncOnce(limit).hasMore()) {
                return page;
            }
        }
        throw new AssertionError("sync never finished");
    }

    public Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    public List<Message> received(String conversationId) {
        return received.getOrDefault(conversationId, List.of());
    }

    public Map<String, List<Message>> received() {
        return received;
    }

    public int calls() {
        return calls;
    }
}
