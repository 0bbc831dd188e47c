package dev.relay.fanout;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.presence.PresenceEntry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Writes presence the way websocket-edge does (hash per user, field = device), and breaks it on purpose. */
final class PresenceWriter implements AutoCloseable {

    private final Redis client;

    PresenceWriter(Vertx vertx, String redisUrl) {
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
    }

    /** {@code userId}'s {@code device} is connected to {@code nodeId} for the next minute. */
    void online(String userId, String device, String nodeId) {
        entry(userId, device, new PresenceEntry(nodeId, "conn-" + UUID.randomUUID(), 1,
                System.currentTimeMillis() + 60_000).format());
    }

    /** An entry whose node stopped refreshing it a second ago. */
    void expired(String userId, String device, String nodeId) {
        entry(userId, device, new PresenceEntry(nodeId, "conn-" + UUID.randomUUID(), 1,
                System.currentTimeMillis() - 1_000).format());
    }

    void entry(String userId, String device, String value) {
        send(Request.cmd(Command.HSET).arg(RedisKeys.presence(userId)).arg(device).arg(value));
    }

    /** Makes the user's presence key a string, so HGETALL on it fails with WRONGTYPE. */
    void wrongType(String userId) {
        send(Request.cmd(Command.SET).arg(RedisKeys.presence(userId)).arg("not-a-hash"));
    }

    void forget(String userId) {
        send(Request.cmd(Command.DEL).arg(RedisKeys.presence(userId)));
    }

    /** How many clients (fanout instances) are subscribed to membership announcements right now. */
    long membershipListeners() {
        return send(Request.cmd(Command.PUBSUB).arg("NUMSUB").arg(RedisKeys.MEMBERSHIP_CHANGES)).get(1).toLong();
    }

    /** Publishes a membership change the way ingest-fn does; returns how many subscribers got it. */
    long announceMembershipChange(String conversationId) {
        return send(Request.cmd(Command.PUBLISH).arg(RedisKeys.MEMBERSHIP_CHANGES).arg(conversationId)).toLong();
    }

    /** Publishes a membership change as ingest-fn does now: a MembershipEvent as JSON. */
    long announceMembershipEvent(String conversationId, String userId, String change) {
        String event = "{\"conversationId\":\"" + conversationId + "\",\"userId\":\"" + userId
                + "\",\"change\":\"" + change + "\"}";
        return send(Request.cmd(Command.PUBLISH).arg(RedisKeys.MEMBERSHIP_CHANGES).arg(event)).toLong();
    }

    private Response send(Request request) {
        try {
            return client.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis call failed", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
