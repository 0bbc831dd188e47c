package dev.relay.contract.wire;

import java.util.Map;

/**
 * Body of {@code POST /v1/sync}: the highest seq the device holds per conversation (missing = 0).
 * Sending cursors acknowledges everything up to them.
 */
public record SyncRequest(Map<String, Long> cursors, Integer limit) {

    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 1000;
}
