package dev.relay.edge.delivery;

import dev.relay.edge.config.EdgeConfig;

/** The per-connection settings every {@link EdgeConnection} shares, read once from config. */
public record ConnectionLimits(
        int maxFrames,
        long maxChars,
        int maxInFlight,
        long ackTimeoutMillis,
        int maxResends,
        int maxUnacked,
        long maxUnackedChars,
        long gapHoldMillis,
        long silenceMillis,
        int maxBadFrames,
        int heartbeatSeconds) {

    public static ConnectionLimits of(EdgeConfig config) {
        return new ConnectionLimits(
                config.queue().maxFrames(),
                config.queue().maxBytes(),
                config.queue().maxInFlight(),
                config.ack().timeout().toMillis(),
                config.ack().maxResends(),
                config.ack().maxUnacked(),
                config.ack().maxUnackedBytes(),
                config.ack().gapHold().toMillis(),
                2_000L * config.heartbeatSeconds(),
                config.maxBadFrames(),
                config.heartbeatSeconds());
    }
}
