package dev.relay.platform.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How messages reach members, where fanout-fn and the edge must agree: one key read by both, so a
 * deployment cannot give them different values.
 */
@ConfigMapping(prefix = "relay.delivery")
public interface DeliveryConfig {

    /**
     * Conversations with more members than this are delivered on their own Redis channel (fan-out
     * on read): fanout publishes such a message once on the conversation channel, and an edge
     * subscribes to the channels of the large conversations its connected members belong to.
     */
    @WithDefault("1000")
    int largeConversationMembers();
}
