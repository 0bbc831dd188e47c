package dev.relay.edge.redis;

import dev.relay.contract.names.RedisKeys;
import dev.relay.edge.config.NodeIdentity;
import dev.relay.edge.delivery.DeliveryRouter;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * This node's Redis subscription, on one dedicated connection: its own channel always, plus the
 * channels of large conversations a local connection belongs to. When that connection ends (Redis
 * restarted, network) it connects again after a short pause and subscribes to the whole current
 * set; what was published meanwhile is lost, which only delays those pushes (the messages are in
 * DynamoDB and clients sync).
 */
@ApplicationScoped
public class ChannelSubscriber {

    private static final Logger LOG = Logger.getLogger(ChannelSubscriber.class);
    private static final long RETRY_MILLIS = 1000;

    private final Redis redis;
    private final DeliveryRouter router;
    private final Vertx vertx;
    private final Set<String> wanted = new HashSet<>();
    private final Set<String> subscribed = new HashSet<>();
    private RedisConnection connection;
    private boolean connecting;
    private boolean stopped;

    public ChannelSubscriber(Redis redis, DeliveryRouter router, NodeIdentity node, Vertx vertx) {
        this.redis = redis;
        this.router = router;
        this.vertx = vertx;
        wanted.add(RedisKeys.nodeChannel(node.id()));
    }

    void onStart(@Observes StartupEvent event) {
        ensureConnected();
    }

    public synchronized void add(String channel) {
        if (wanted.add(channel)) {
            sync();
        }
    }

    public synchronized void remove(String channel) {
        if (wanted.remove(channel)) {
            sync();
        }
    }

    /** True while subscribed to every wanted channel. */
    public synchronized boolean healthy() {
        return connection != null && subscribed.containsAll(wanted);
    }

    public synchronized void stop() {
        stopped = true;
        if (connection != null) {
            connection.close().subscribe().with(ok -> { }, failure -> { });
            connection = null;
        }
    }

    /** Connects if the subscription is gone; also called by the presence heartbeat as a safety net. */
    public synchronized void ensureConnected() {
        if (connection != null || connecting || stopped) {
            return;
        }
        connecting = true;
        redis.connect().subscribe().with(this::connected, failure -> {
            LOG.warnf("cannot subscribe to Redis channels yet: %s", failure.getMessage());
            retryLater();
        });
    }

    private synchronized void connected(RedisConnection opened) {
        connecting = false;
        if (stopped) {
            opened.close().subscribe().with(ok -> { }, failure -> { });
            return;
        }
        connection = opened;
        subscribed.clear();
        opened.handler(this::onResponse);
        opened.exceptionHandler(failure -> lost(opened));
        opened.endHandler(() -> lost(opened));
        sync();
    }

    /** Pub/sub pushes arrive as {@code ["message", channel, payload]}. */
    private void onResponse(Response response) {
        if (response.size() >= 3 && "message".equals(response.get(0).toString())) {
            router.onPublished(response.get(1).toString(), response.get(2).toString());
        }
    }

    private synchronized void lost(RedisConnection which) {
        if (connection != which) {
            return;
        }
        LOG.warn("Redis subscription lost; subscribing again");
        connection = null;
        subscribed.clear();
        which.close().subscribe().with(ok -> { }, failure -> { });
        retryLater();
    }

    private synchronized void retryLater() {
        connecting = false;
        if (!stopped) {
            vertx.setTimer(RETRY_MILLIS, id -> ensureConnected());
        }
    }

    /** Brings the live subscription in line with {@code wanted}. */
    private void sync() {
        if (connection == null) {
            return;
        }
        RedisConnection current = connection;
        List<String> toAdd = wanted.stream().filter(c -> !subscribed.contains(c)).toList();
        List<String> toDrop = subscribed.stream().filter(c -> !wanted.contains(c)).toList();
        if (!toAdd.isEmpty()) {
            subscribed.addAll(toAdd);
            current.send(Request.cmd(Command.SUBSCRIBE, toAdd.toArray()))
                    .subscribe().with(ok -> { }, failure -> lost(current));
        }
        if (!toDrop.isEmpty()) {
            toDrop.forEach(subscribed::remove);
            current.send(Request.cmd(Command.UNSUBSCRIBE, toDrop.toArray()))
                    .subscribe().with(ok -> { }, failure -> { });
        }
    }
}
