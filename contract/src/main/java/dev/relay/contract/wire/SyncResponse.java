package dev.relay.contract.wire;

import java.util.List;
import java.util.Map;

/** Answer to {@code POST /v1/sync}; call again with {@code cursors} while {@code hasMore}. */
public record SyncResponse(List<Message> messages, Map<String, Long> cursors, boolean hasMore) {
}
