package dev.relay.edge.redis;

import dev.relay.contract.names.RedisKeys;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.platform.delivery.DeliveryConfig;
import dev.relay.platform.dynamo.ConversationStore;
import dev.relay.platform.dynamo.Membership;
import dev.relay.platform.dynamo.MembershipStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Large conversations (more than {@code relay.delivery.large-conversation-members} members) are
 * delivered on their own channel, which this node subscribes to while it holds a connection of one
 * of their members. Membership is read when a connection opens; a user who joins a large
 * conversation later receives its messages on the next connection (and through sync meanwhile).
 */
@ApplicationScoped
public class ConversationChannelRegistry {

    private static final Logger LOG = Logger.getLogger(ConversationChannelRegistry.class);

    private final MembershipStore memberships;
    private final ConversationStore conversations;
    private final ChannelSubscriber subscriber;
    private final int threshold;
    private final Map<String, Set<EdgeConnection>> byConversation = new HashMap<>();
    private final Map<EdgeConnection, List<String>> byConnection = new HashMap<>();

    public ConversationChannelRegistry(MembershipStore memberships, ConversationStore conversations,
                                       ChannelSubscriber subscriber, DeliveryConfig config) {
        this.memberships = memberships;
        this.conversations = conversations;
        this.subscriber = subscriber;
        this.threshold = config.largeConversationMembers();
    }

    /** Looks up the connection's large conversations on a worker thread and subscribes to their channels. */
    public Uni<List<String>> join(EdgeConnection connection) {
        return Uni.createFrom().item(() -> largeConversationsOf(connection.userId()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(ids -> attach(connection, ids))
                .onFailure().invoke(e -> LOG.warnf("large conversations of a connection unknown: %s", e.getMessage()));
    }

    /** The user's conversations (the {@code by-user} index) with more than the threshold's members. Blocking. */
    private List<String> largeConversationsOf(String userId) {
        List<String> mine = memberships.conversationsOf(userId).stream().map(Membership::conversationId).toList();
        return mine.isEmpty() ? List.of() : conversations.withMoreMembersThan(mine, threshold);
    }

    public synchronized void leave(EdgeConnection connection) {
        List<String> ids = byConnection.remove(connection);
        if (ids == null) {
            return;
        }
        for (String id : ids) {
            Set<EdgeConnection> local = byConversation.get(id);
            if (local != null && local.remove(connection) && local.isEmpty()) {
                byConversation.remove(id);
                subscriber.remove(RedisKeys.conversationChannel(id));
            }
        }
    }

    /** Local connections of the conversation's members, for a {@code Deliver} without recipients. */
    public synchronized Collection<EdgeConnection> localConnections(String conversationId) {
        Set<EdgeConnection> local = byConversation.get(conversationId);
        return local == null ? List.of() : List.copyOf(local);
    }

    private synchronized void attach(EdgeConnection connection, List<String> ids) {
        if (ids.isEmpty() || connection.isClosed()) {
            return;
        }
        byConnection.put(connection, List.copyOf(ids));
        for (String id : ids) {
            Set<EdgeConnection> local = byConversation.computeIfAbsent(id, k -> new HashSet<>());
            if (local.isEmpty()) {
                subscriber.add(RedisKeys.conversationChannel(id));
            }
            local.add(connection);
        }
    }
}
