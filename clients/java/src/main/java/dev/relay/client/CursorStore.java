package dev.relay.client;

import java.util.Map;

/**
 * Where a device keeps its cursors (highest seq shown per conversation) between runs, so a restart
 * catches up from where it stopped instead of showing everything again. Called from the client's
 * thread; a slow store slows delivery.
 */
public interface CursorStore {

    Map<String, Long> load();

    void save(Map<String, Long> cursors);
}
