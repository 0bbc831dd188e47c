package dev.relay.sync.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Paging limits of sync and history; see API.md "Read". */
@ConfigMapping(prefix = "relay.sync")
public interface SyncConfig {

    @WithDefault("500")
    int defaultLimit();

    @WithDefault("1000")
    int maxLimit();
}
