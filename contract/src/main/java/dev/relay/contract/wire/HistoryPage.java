package dev.relay.contract.wire;

import java.util.List;

/** One page of a conversation's log, ascending by seq. */
public record HistoryPage(List<Message> messages, boolean hasMore) {
}
