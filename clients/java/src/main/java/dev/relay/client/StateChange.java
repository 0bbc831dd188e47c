package dev.relay.client;

import java.time.Duration;

/**
 * A connection state change. {@code code} is the WebSocket close code that caused a
 * {@code DISCONNECTED} or {@code CLOSED} when there was one (null otherwise, or -1 for a failure
 * without a close frame); {@code retryIn} is when the next attempt starts, for {@code DISCONNECTED}.
 */
public record StateChange(ConnectionState state, Integer code, String reason, Duration retryIn) {

    static StateChange of(ConnectionState state) {
        return new StateChange(state, null, null, null);
    }
}
