package dev.relay.client;

/** Where a {@link RelayClient}'s stream is; every change is reported as a {@link StateChange}. */
public enum ConnectionState {
    /** Opening a WebSocket, or waiting for its {@code hello}. */
    CONNECTING,
    /** The edge said {@code hello}: pushes arrive, acks and pings go out. */
    CONNECTED,
    /** Lost; a reconnect is scheduled ({@link StateChange#retryIn()}). */
    DISCONNECTED,
    /** For good: {@link RelayClient#close()}, or replaced by a newer connection of the device (4010). */
    CLOSED
}
