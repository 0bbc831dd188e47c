package dev.relay.fanout.route;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.presence.PresenceEntry;
import dev.relay.fanout.redis.EdgePublisher;
import dev.relay.fanout.redis.PresenceRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Hands one frame of a conversation to the edge nodes that hold its online members: members from
 * the audience cache, their connections from Redis presence in one round trip, one publish per
 * node. A large conversation gets a single publish on its own channel instead. Every failure is
 * thrown to the caller, which decides whether to retry (stored messages) or drop (signals).
 */
@ApplicationScoped
public class MessageRouter {

    private final AudienceCache audiences;
    private final PresenceRegistry presence;
    private final EdgePublisher edges;

    public MessageRouter(AudienceCache audiences, PresenceRegistry presence, EdgePublisher edges) {
        this.audiences = audiences;
        this.presence = presence;
        this.edges = edges;
    }

    public RouteOutcome route(String conversationId, ServerFrame frame) {
        return switch (audiences.get(conversationId)) {
            case Audience.Large large -> {
                edges.broadcast(conversationId, frame);
                yield new RouteOutcome(1, true);
            }
            case Audience.Members members -> {
                if (members.userIds().isEmpty()) {
                    yield new RouteOutcome(0, false);
                }
                Map<String, List<PresenceEntry>> online = presence.online(members.userIds(), System.currentTimeMillis());
                DeliveryPlan plan = DeliveryPlan.of(online);
                edges.deliver(plan, frame);
                yield new RouteOutcome(plan.nodes(), false);
            }
        };
    }
}
