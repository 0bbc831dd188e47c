package dev.relay.contract.presence;

/**
 * Where one device of a user is connected: a field of the hash {@code RedisKeys.presence(userId)},
 * keyed by device id, written by websocket-edge and read by fanout-fn.
 *
 * <p>Invariants: {@code epoch} comes from the {@code RedisKeys.CONNECTION_EPOCH} counter, so a newer
 * connection of the same user+device always carries a higher epoch, and a write with a lower epoch
 * never replaces a higher one. An entry whose {@code expiresAtMillis} has passed is dead (its node
 * stopped refreshing it) and readers ignore it.
 */
public record PresenceEntry(String nodeId, String connectionId, long epoch, long expiresAtMillis) {

    private static final char SEPARATOR = '|';

    public PresenceEntry {
        if (nodeId.indexOf(SEPARATOR) >= 0 || connectionId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("node and connection ids must not contain '|'");
        }
    }

    public boolean aliveAt(long nowMillis) {
        return expiresAtMillis > nowMillis;
    }

    /** {@code node|connection|epoch|expiresAtMillis}; parsed back by {@link #parse(String)}. */
    public String format() {
        return nodeId + SEPARATOR + connectionId + SEPARATOR + epoch + SEPARATOR + expiresAtMillis;
    }

    /** @throws IllegalArgumentException when the value is not of {@link #format()}'s shape */
    public static PresenceEntry parse(String value) {
        String[] parts = value.split("\\|", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a presence entry: " + value);
        }
        try {
            return new PresenceEntry(parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a presence entry: " + value, e);
        }
    }
}
