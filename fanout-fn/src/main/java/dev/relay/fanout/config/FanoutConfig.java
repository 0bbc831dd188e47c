package dev.relay.fanout.config;

import dev.relay.contract.names.ConsumerGroups;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How fanout routes messages, retries failures and replays dead letters. */
@ConfigMapping(prefix = "relay.fanout")
public interface FanoutConfig {

    /** Longest wait for one Redis round trip (presence lookup or publish) before it counts as failed. */
    @WithDefault("2s")
    Duration redisTimeout();

    /** Signals older than this (by their {@code sentAt}) are dropped: a late typing indicator is wrong, not late. */
    @WithDefault("30s")
    Duration signalMaxAge();

    MembersCache membersCache();

    Retry retry();

    Replay replay();

    /** The per-conversation audience cache; membership changes announced on Redis drop entries early. */
    interface MembersCache {

        /** Upper bound on how stale a cached member list can be when an announcement was missed. */
        @WithDefault("15s")
        Duration ttl();

        @WithDefault("10000")
        int maxEntries();
    }

    /** Bounded exponential back-off with jitter for transient Redis and DynamoDB failures of one record. */
    interface Retry {

        /** Attempts per record, the first included; then the record is dead-lettered. */
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("50ms")
        Duration initialDelay();

        @WithDefault("2s")
        Duration maxDelay();

        /** Each delay is moved by a random amount in [-jitter, +jitter]. */
        @WithDefault("25ms")
        Duration jitter();
    }

    /** Re-publishing dead letters to {@code messages}. */
    interface Replay {

        /** Consumer group whose committed offsets on the dead-letter topic mark what was already replayed. */
        @WithDefault(ConsumerGroups.FANOUT_DLQ_REPLAY)
        String group();

        @WithDefault("1000")
        int defaultLimit();

        @WithDefault("10000")
        int maxLimit();

        /** A replay request stops after this long and reports what it did; the next one resumes. */
        @WithDefault("30s")
        Duration timeout();
    }
}
