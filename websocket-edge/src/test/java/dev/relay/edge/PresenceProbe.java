package dev.relay.edge;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.presence.PresenceEntry;
import dev.relay.localstack.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads presence and node heartbeats straight from the shared Redis, as fanout-fn would, and publishes as it would. */
final class PresenceProbe implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Redis redis = Redis.createClient(vertx, LocalStack.shared().redis().url());

    /** The user's presence hash (device → entry); empty when the key does not exist. */
    Map<String, PresenceEntry> devices(String userId) {
        Response reply = send(Request.cmd(Command.HGETALL).arg(RedisKeys.presence(userId)));
        Map<String, PresenceEntry> devices = new HashMap<>();
        if (reply == null) {
            return devices;
        }
        for (String field : reply.getKeys()) {
            devices.put(field, PresenceEntry.parse(reply.get(field).toString()));
        }
        return devices;
    }

    /** Whether the user's presence key exists at all (an expired hash is gone, not just stale). */
    boolean presenceKeyExists(String userId) {
        return send(Request.cmd(Command.EXISTS).arg(RedisKeys.presence(userId))).toLong() == 1;
    }

    boolean nodeAlive(String nodeId) {
        return send(Request.cmd(Command.EXISTS).arg(RedisKeys.nodeHeartbeat(nodeId))).toLong() == 1;
    }

    /** Publishes on a channel as ingest-fn or fanout-fn would; returns how many subscribers got it. */
    long publish(String channel, String payload) {
        return send(Request.cmd(Command.PUBLISH).arg(channel).arg(payload)).toLong();
    }

    /** Moves the fleet's epoch counter on by {@code by}, as a node that has registered that many connections would. */
    void advanceEpochs(long by) {
        send(Request.cmd(Command.INCRBY).arg(RedisKeys.CONNECTION_EPOCH).arg(by));
    }

    long subscribers(String channel) {
        return send(Request.cmd(Command.PUBSUB).arg("NUMSUB").arg(channel)).get(1).toLong();
    }

    private Response send(Request request) {
        try {
            return redis.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis " + request.command() + " failed", e);
        }
    }

    @Override
    public void close() {
        redis.close();
        vertx.close();
    }
}
