package dev.relay.fanout.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How fanout routes messages. */
@ConfigMapping(prefix = "relay.fanout")
public interface FanoutConfig {

    /** Above this member count a conversation is delivered through its own channel (fan-out on read). */
    @WithDefault("1000")
    int largeConversationMembers();
}
