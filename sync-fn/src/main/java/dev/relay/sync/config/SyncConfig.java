package dev.relay.sync.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Paging limits of sync, history and the inbox; see API.md "Read". */
@ConfigMapping(prefix = "relay.sync")
public interface SyncConfig {

    /** Messages per {@code POST /v1/sync} when the request names no {@code limit}. */
    @WithDefault("500")
    int defaultLimit();

    /** Largest {@code limit} a sync or history request may ask for; above it is 400. */
    @WithDefault("1000")
    int maxLimit();

    /** Messages per history page when the request names no {@code limit}. */
    @WithDefault("50")
    int historyDefaultLimit();

    /** Inbox entries per page when the request names no {@code limit}. */
    @WithDefault("50")
    int inboxDefaultLimit();

    /** Largest inbox {@code limit}; above it is 400. */
    @WithDefault("200")
    int inboxMaxLimit();

    /**
     * Estimated JSON bytes of the messages in one sync or history answer. A page stops early (with
     * {@code hasMore}) rather than pass it, but always carries at least one message. Below the 6 MB
     * response limit of AWS Lambda.
     */
    @WithDefault("4194304")
    int maxPageBytes();

    /** Store reads one sync call runs in parallel (queries of changed conversations, acknowledgements). */
    @WithDefault("16")
    int readConcurrency();

    /** How long this instance remembers an unfinished catch-up to count its pages (metric only). */
    @WithDefault("10m")
    Duration catchUpMemory();
}
