package dev.relay.fanout.route;

import java.util.List;

/** Who a conversation's pushes are expanded to: its members one by one, or everyone through its channel. */
public sealed interface Audience {

    /** At most {@code relay.delivery.large-conversation-members} members: routed per member and node. */
    record Members(List<String> userIds) implements Audience {

        public Members {
            userIds = List.copyOf(userIds);
        }
    }

    /** Above the threshold: published once on the conversation's channel (fan-out on read). */
    record Large(long memberCount) implements Audience {
    }
}
