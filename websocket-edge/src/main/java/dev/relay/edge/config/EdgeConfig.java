package dev.relay.edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** One edge node's identity, timers and per-connection bounds. */
@ConfigMapping(prefix = "relay.edge")
public interface EdgeConfig {

    /** This node's id in Redis presence and its delivery channel; a random one when unset. */
    Optional<String> nodeId();

    /** Announced in {@code hello}; silent connections close after twice this. */
    @WithDefault("25")
    int heartbeatSeconds();

    /** Device id of a connection that names none ({@code ?device=} absent). */
    @WithDefault("default")
    String defaultDevice();

    /** Presence entries and their hash live this long past the last refresh. */
    @WithDefault("60s")
    Duration presenceTtl();

    /** How often this node refreshes its heartbeat key and every local presence entry (well under the TTL). */
    @WithDefault("20s")
    Duration presenceRefresh();

    /** Bounds of one connection's outbound queue; either overflowing closes the connection with 4009. */
    Queue queue();

    /** Acks, re-sends and gaps of stored messages. */
    Ack ack();

    /** After this many bad client frames the connection is closed with 4008. */
    @WithDefault("10")
    int maxBadFrames();

    /**
     * Connections one user may hold at once (distinct devices, fleet-wide through presence); the
     * next upgrade gets HTTP 429. A new connection of a device already connected replaces it and
     * always passes.
     */
    @WithDefault("32")
    int maxConnectionsPerUser();

    /** How often timers (re-sends, gap holds, silent connections) are checked. */
    @WithDefault("250ms")
    Duration tick();

    /** Graceful shutdown. */
    Drain drain();

    interface Queue {
        /** Frames queued or in flight on one connection. */
        @WithDefault("512")
        int maxFrames();

        /** Characters of frames queued or in flight on one connection (ASCII JSON: bytes). */
        @WithDefault("1048576")
        long maxBytes();

        /** Frames handed to the socket whose write has not completed; the rest wait in the queue. */
        @WithDefault("16")
        int maxInFlight();
    }

    interface Ack {
        /** An unacked message is re-sent after this long. */
        @WithDefault("10s")
        Duration timeout();

        /** Re-sends per message; after the last one the client gets {@code resync}. */
        @WithDefault("3")
        int maxResends();

        /** Unacked messages kept per connection; more closes it with 4009 (the client syncs). */
        @WithDefault("1000")
        int maxUnacked();

        /**
         * Characters of the unacked messages kept per connection (they are kept for re-sends); more
         * closes it with 4009. With {@code queue.maxBytes} this bounds what one connection holds.
         */
        @WithDefault("1048576")
        long maxUnackedBytes();

        /** A message that would leave a seq gap waits this long for the missing ones, then {@code resync}. */
        @WithDefault("2s")
        Duration gapHold();

        /** Acks are coalesced per member and written to DynamoDB this often. */
        @WithDefault("1s")
        Duration flushInterval();

        /**
         * Members whose {@code deliveredSeq} raise may wait for a write at once (one entry each,
         * coalesced); while the store is slow, acks of further members are dropped and counted.
         */
        @WithDefault("50000")
        int maxPendingWrites();
    }

    interface Drain {
        /** {@code draining.reconnectAfterMs} is uniformly random in [0, window). */
        @WithDefault("10s")
        Duration window();

        /** Upper bound on closing connections and removing presence at shutdown. */
        @WithDefault("10s")
        Duration timeout();
    }
}
