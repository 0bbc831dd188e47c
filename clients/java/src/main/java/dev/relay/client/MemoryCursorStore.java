package dev.relay.client;

import java.util.Map;

/** Keeps cursors for the life of the process (the default): a new process starts from seq 1. */
public final class MemoryCursorStore implements CursorStore {

    private volatile Map<String, Long> cursors = Map.of();

    @Override
    public Map<String, Long> load() {
        return cursors;
    }

    @Override
    public void save(Map<String, Long> cursors) {
        this.cursors = Map.copyOf(cursors);
    }
}
