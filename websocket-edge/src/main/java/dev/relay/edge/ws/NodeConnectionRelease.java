package dev.relay.edge.ws;

import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.ConnectionRelease;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.edge.membership.MembershipRegistry;
import dev.relay.edge.redis.PresenceRefresher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What this node releases when one of its connections ends: the registry's entries (and the
 * connection count), the user's membership count, the presence entry. Runs once per connection (see
 * {@link EdgeConnection}); the registry's removal guards it a second time, so a connection the
 * registry no longer holds releases nothing, and a user's other connections keep their count.
 */
@ApplicationScoped
public class NodeConnectionRelease implements ConnectionRelease {

    private final ConnectionRegistry connections;
    private final MembershipRegistry membership;
    private final PresenceRefresher presence;

    public NodeConnectionRelease(ConnectionRegistry connections, MembershipRegistry membership,
                                 PresenceRefresher presence) {
        this.connections = connections;
        this.membership = membership;
        this.presence = presence;
    }

    @Override
    public CompletionStage<Void> release(EdgeConnection connection) {
        if (!connections.remove(connection)) {
            return CompletableFuture.completedFuture(null);
        }
        membership.leave(connection);
        // A registration still in flight removes its own entry once it sees the connection closed.
        return presence.unregister(connection).subscribeAsCompletionStage();
    }
}
