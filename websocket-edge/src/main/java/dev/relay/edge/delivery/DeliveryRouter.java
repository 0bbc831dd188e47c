package dev.relay.edge.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.wire.MembershipEvent;
import dev.relay.edge.membership.MembershipRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Carries out what is published on this node's channel or a large conversation's channel, and is
 * the same delivery as a plain in-process API. A {@code Deliver} is serialized once and written to
 * every local connection of its recipients; a {@code Fence} closes the older connection of a
 * user+device. Announcements on the membership channel go to {@link MembershipRegistry}, in order
 * with the deliveries (one subscription connection). Non-blocking: safe on the event loop.
 */
@ApplicationScoped
public class DeliveryRouter {

    private static final Logger LOG = Logger.getLogger(DeliveryRouter.class);

    private final ConnectionRegistry connections;
    private final MembershipRegistry membership;
    private final FrameJson json;

    public DeliveryRouter(ConnectionRegistry connections, MembershipRegistry membership, FrameJson json) {
        this.connections = connections;
        this.membership = membership;
        this.json = json;
    }

    public void route(EdgeCommand command) {
        switch (command) {
            case EdgeCommand.Deliver deliver -> deliver(deliver);
            case EdgeCommand.Fence fence -> connections.ofUser(fence.userId()).stream()
                    .filter(c -> c.device().equals(fence.device()))
                    .forEach(c -> c.fence(fence.epoch()));
        }
    }

    /** A message from a Redis channel; one that does not parse is dropped (its message is in DynamoDB). */
    public void onPublished(String channel, String payload) {
        if (RedisKeys.MEMBERSHIP_CHANGES.equals(channel)) {
            json.readMembershipEvent(payload).ifPresentOrElse(membership::onEvent,
                    () -> LOG.debugf("ignored a membership announcement without a user"));
            return;
        }
        EdgeCommand command;
        try {
            command = json.readCommand(payload);
        } catch (JsonProcessingException e) {
            LOG.warnf("dropped an unreadable command on %s: %s", channel, e.getOriginalMessage());
            return;
        }
        route(command);
    }

    private void deliver(EdgeCommand.Deliver deliver) {
        ServerFrame frame = deliver.frame();
        if (frame == null || !routable(frame)) {
            LOG.debugf("ignored a deliver without a routable frame");
            return;
        }
        Optional<String> conversationId = conversationOf(frame);
        Collection<EdgeConnection> targets = deliver.recipients() == null
                ? conversationId.map(membership::localConnections).orElse(List.of())
                : deliver.recipients().stream()
                        // fanout may route by members it read before a removal this node already saw
                        .filter(user -> conversationId.isEmpty() || !membership.revokedFrom(user, conversationId.get()))
                        .flatMap(user -> connections.ofUser(user).stream()).toList();
        if (targets.isEmpty()) {
            return;
        }
        String text = json.write(frame);
        for (EdgeConnection connection : targets) {
            connection.deliver(frame, text);
        }
    }

    private static boolean routable(ServerFrame frame) {
        return switch (frame) {
            case ServerFrame.MessagePush push -> push.message() != null && push.message().conversationId() != null;
            case ServerFrame.Signal signal -> true;
            case ServerFrame.Receipt receipt -> true;
            case ServerFrame.Resync resync -> true;
            // made by each edge from membership events, never routed
            case ServerFrame.Membership membership -> false;
            case ServerFrame.Hello hello -> false;
            case ServerFrame.Draining draining -> false;
            case ServerFrame.Pong pong -> false;
            case ServerFrame.Error error -> false;
        };
    }

    /** The conversation a routed frame belongs to, if any. */
    static Optional<String> conversationOf(ServerFrame frame) {
        return Optional.ofNullable(switch (frame) {
            case ServerFrame.MessagePush push -> push.message().conversationId();
            case ServerFrame.Signal signal -> signal.conversationId();
            case ServerFrame.Receipt receipt -> receipt.conversationId();
            case ServerFrame.Resync resync -> resync.conversationId();
            case ServerFrame.Membership membership -> membership.conversationId();
            default -> null;
        });
    }
}
