package dev.relay.edge.redis;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.presence.PresenceEntry;
import dev.relay.edge.config.EdgeConfig;
import dev.relay.edge.config.NodeIdentity;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Presence in Redis: hash {@code RedisKeys.presence(userId)}, field = device, value =
 * {@link PresenceEntry#format()}, with the device's expiry in {@code RedisKeys.presenceExpiry(userId)},
 * plus this node's heartbeat key. Every write goes through a
 * {@link PresenceScripts} script that compares epochs atomically.
 */
@ApplicationScoped
public class PresenceRegistry {

    private final ReactiveRedisDataSource redis;
    private final String nodeId;
    private final long ttlMillis;

    public PresenceRegistry(ReactiveRedisDataSource redis, NodeIdentity node, EdgeConfig config) {
        this.redis = redis;
        this.nodeId = node.id();
        this.ttlMillis = config.presenceTtl().toMillis();
    }

    /** A new connection's entry; {@code previous} is the entry it replaced (alive or not), if any. */
    public record Registration(long epoch, Optional<PresenceEntry> previous) {
    }

    /** Takes a fresh epoch from {@code RedisKeys.CONNECTION_EPOCH} and writes this connection's entry. */
    public Uni<Registration> register(String userId, String device, String connectionId) {
        long now = System.currentTimeMillis();
        return PresenceScripts.REGISTER.run(redis, List.of(RedisKeys.presence(userId), RedisKeys.presenceExpiry(userId),
                                RedisKeys.CONNECTION_EPOCH),
                        device, nodeId, connectionId, Long.toString(now), Long.toString(now + ttlMillis))
                .map(reply -> new Registration(reply.get(0).toLong(), previous(reply.get(1))));
    }

    /**
     * Extends the entry's expiry, writing it again if Redis lost it (restart), and keeps the epoch
     * counter at least at {@code epoch}; false when a higher epoch holds the device (this connection is fenced).
     */
    public Uni<Boolean> refresh(String userId, String device, String connectionId, long epoch) {
        long now = System.currentTimeMillis();
        String entry = new PresenceEntry(nodeId, connectionId, epoch, now + ttlMillis).format();
        return PresenceScripts.REFRESH.run(redis, List.of(RedisKeys.presence(userId), RedisKeys.presenceExpiry(userId),
                                RedisKeys.CONNECTION_EPOCH),
                        device, entry, Long.toString(epoch), Long.toString(now), Long.toString(now + ttlMillis))
                .map(reply -> reply.toLong() == 1L);
    }

    /** Deletes the entry if it still holds {@code epoch}; a newer connection's entry is left alone. */
    public Uni<Void> remove(String userId, String device, long epoch) {
        return PresenceScripts.REMOVE.run(redis, keys(userId),
                        device, Long.toString(epoch), Long.toString(System.currentTimeMillis()))
                .replaceWithVoid();
    }

    /**
     * Whether the user may open one more connection with {@code device}: yes for a device already
     * present (the new connection replaces it), else only below {@code maxDevices} live devices;
     * a yes reserves the device for one presence TTL, until its registration writes the entry.
     */
    public Uni<Boolean> admit(String userId, String device, int maxDevices) {
        long now = System.currentTimeMillis();
        return PresenceScripts.ADMIT.run(redis, keys(userId),
                        device, Long.toString(now), Integer.toString(maxDevices), Long.toString(now + ttlMillis))
                .map(reply -> reply.toLong() == 1L);
    }

    /** This node is alive for another TTL. */
    public Uni<Void> beat() {
        return redis.execute("SET", RedisKeys.nodeHeartbeat(nodeId), Long.toString(System.currentTimeMillis()),
                "PX", Long.toString(ttlMillis)).replaceWithVoid();
    }

    /** This node is leaving. */
    public Uni<Void> removeNode() {
        return redis.execute("DEL", RedisKeys.nodeHeartbeat(nodeId)).replaceWithVoid();
    }

    private static List<String> keys(String userId) {
        return List.of(RedisKeys.presence(userId), RedisKeys.presenceExpiry(userId));
    }

    private static Optional<PresenceEntry> previous(Response value) {
        String text = value == null ? "" : value.toString();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PresenceEntry.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
