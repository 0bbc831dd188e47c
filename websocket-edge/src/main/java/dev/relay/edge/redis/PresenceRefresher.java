package dev.relay.edge.redis;

import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.presence.PresenceEntry;
import dev.relay.edge.config.DebugLogged;
import dev.relay.edge.config.NodeIdentity;
import dev.relay.edge.delivery.CloseCodes;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.DeliveryRouter;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.edge.delivery.FrameJson;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Keeps this node's presence true: registers each connection (fencing the older connection of the
 * same user+device, here or on its node), refreshes the node heartbeat and every entry well before
 * they expire, and closes with 4010 a connection whose refresh finds a higher epoch. A connection
 * whose registration failed (Redis down) is registered again on the next refresh. A refresh writes
 * a lost entry again, so after Redis restarted empty every open connection is found again without
 * reconnecting: at once when the node's subscription is back, at the latest at the next refresh.
 */
@ApplicationScoped
public class PresenceRefresher {

    private static final Logger LOG = Logger.getLogger(PresenceRefresher.class);

    private final PresenceRegistry presence;
    private final ConnectionRegistry connections;
    private final DeliveryRouter router;
    private final ChannelSubscriber subscriber;
    private final ReactivePubSubCommands<String> pubsub;
    private final FrameJson json;
    private final String nodeId;
    /** Set by the drain: from then on nothing writes presence or the heartbeat again. */
    private volatile boolean stopped;

    public PresenceRefresher(PresenceRegistry presence, ConnectionRegistry connections, DeliveryRouter router,
                             ChannelSubscriber subscriber, ReactiveRedisDataSource redis, FrameJson json,
                             NodeIdentity node) {
        this.presence = presence;
        this.connections = connections;
        this.router = router;
        this.subscriber = subscriber;
        this.pubsub = redis.pubsub(String.class);
        this.json = json;
        this.nodeId = node.id();
    }

    void onStart(@Observes StartupEvent event) {
        // The subscription came back after a loss: Redis may have restarted empty, so write this
        // node's heartbeat and every entry now rather than at the next refresh.
        subscriber.onResubscribed(() -> {
            LOG.infof("Redis subscription back: refreshing presence of %d connections", connections.all().size());
            refreshAll();
        });
        presence.beat().subscribe().with(ok -> { }, failure -> LOG.warnf("node heartbeat failed: %s", failure.getMessage()));
    }

    /** Registers a connection; completes when Redis answered (or failed: the next refresh retries). */
    public Uni<Void> register(EdgeConnection connection) {
        if (!connection.startRegistering()) {
            return Uni.createFrom().voidItem();
        }
        return presence.register(connection.userId(), connection.device(), connection.id())
                .invoke(registration -> registered(connection, registration))
                .onFailure().invoke(e -> {
                    connection.registrationFailed();
                    LOG.warnf("presence registration failed, retried on refresh: %s", e.getMessage());
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    public Uni<Void> unregister(EdgeConnection connection) {
        long epoch = connection.epoch();
        if (epoch == 0) {
            return Uni.createFrom().voidItem();
        }
        return presence.remove(connection.userId(), connection.device(), epoch)
                .onFailure().invoke(e -> LOG.warnf("presence removal failed, the entry expires: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** The node drains: a refresh after this would bring back the heartbeat the drain removes. */
    public void stop() {
        stopped = true;
    }

    @Scheduled(every = "${relay.edge.presence-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshAll() {
        if (stopped) {
            return;
        }
        subscriber.ensureConnected();
        presence.beat().subscribe().with(ok -> { }, failure -> LOG.warnf("node heartbeat failed: %s", failure.getMessage()));
        for (EdgeConnection connection : connections.all()) {
            long epoch = connection.epoch();
            if (connection.isClosed()) {
                continue;
            }
            if (epoch == 0) {
                register(connection).subscribe().with(ok -> { }, DebugLogged.failure(LOG, "presence registration"));
                continue;
            }
            presence.refresh(connection.userId(), connection.device(), connection.id(), epoch)
                    .subscribe().with(current -> {
                        if (!current) {
                            connection.close(CloseCodes.REPLACED, "replaced by a newer connection");
                        }
                    }, DebugLogged.failure(LOG, "presence refresh"));
        }
    }

    private void registered(EdgeConnection connection, PresenceRegistry.Registration registration) {
        if (registration.epoch() == 0) {
            connection.close(CloseCodes.REPLACED, "replaced by a newer connection");
            return;
        }
        connection.registered(registration.epoch());
        if (connection.isClosed()) {
            presence.remove(connection.userId(), connection.device(), registration.epoch())
                    .subscribe().with(ok -> { }, DebugLogged.failure(LOG, "presence removal of a closed connection"));
            return;
        }
        EdgeCommand.Fence fence = new EdgeCommand.Fence(connection.userId(), connection.device(), registration.epoch());
        router.route(fence);
        registration.previous()
                .map(PresenceEntry::nodeId)
                .filter(node -> !node.equals(nodeId))
                .ifPresent(node -> pubsub.publish(RedisKeys.nodeChannel(node), json.write(fence))
                        .subscribe().with(ok -> { }, failure -> LOG.warnf("fence not published: %s", failure.getMessage())));
    }
}
