package dev.relay.edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** One edge node's identity and connection limits. */
@ConfigMapping(prefix = "relay.edge")
public interface EdgeConfig {

    /** This node's id in Redis presence and its delivery channel; a random one when unset. */
    Optional<String> nodeId();

    /** Announced in {@code hello}; silent connections close after twice this. */
    @WithDefault("25")
    int heartbeatSeconds();
}
