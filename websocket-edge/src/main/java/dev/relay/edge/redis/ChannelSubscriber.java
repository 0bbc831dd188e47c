package dev.relay.edge.redis;

import dev.relay.contract.names.RedisKeys;
import dev.relay.edge.config.DebugLogged;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * This node's Redis subscription, on one dedicated connection: its own channel and the membership
 * announcements always, plus the channels of large conversations a local connection belongs to.
 * One connection keeps announcements in order with the deliveries published after them. When that connection ends (Redis
 * restarted, network) it connects again after a short pause and subscribes to the whole current
 * set; what was published meanwhile is lost, which only delays those pushes (the messages are in
 * DynamoDB and clients sync). Once the subscriptions of a new connection after a lost one are
 * confirmed, it runs the {@link #onResubscribed} action (presence writes everything again: a Redis
 * that restarted has lost it), so this node is found again as soon as it can be reached.
 */
@ApplicationScoped
public class ChannelSubscriber {

    private static final Logger LOG = Logger.getLogger(ChannelSubscriber.class);
    private static final long RETRY_MILLIS = 1000;
    private static final long CONFIRM_MILLIS = 2000;

    private final Redis redis;
    private final DeliveryRouter router;
    private final Vertx vertx;
    private final Set<String> wanted = new HashSet<>();
    private final Set<String> subscribed = new HashSet<>();
    /** Redis's confirmation of the latest SUBSCRIBE that named each channel. */
    private final Map<String, CompletableFuture<Void>> confirmed = new HashMap<>();
    private RedisConnection connection;
    private boolean connecting;
    private boolean stopped;
    /** A subscription connection was open before: the next confirmed subscription follows a loss. */
    private boolean everConnected;
    private boolean announceNextConfirmation;
    private Runnable resubscribed = () -> { };

    public ChannelSubscriber(Redis redis, DeliveryRouter router, NodeIdentity node, Vertx vertx) {
        this.redis = redis;
        this.router = router;
        this.vertx = vertx;
        wanted.add(RedisKeys.nodeChannel(node.id()));
        wanted.add(RedisKeys.MEMBERSHIP_CHANGES);
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

    /**
     * Waits (at most {@link #CONFIRM_MILLIS}) until Redis confirmed the subscription of a wanted
     * channel, so whatever is published on it from then on arrives here. Returns at once for a
     * channel not wanted. Blocking: not for the event loop.
     */
    public void awaitSubscribed(String channel) {
        CompletableFuture<Void> confirmation;
        synchronized (this) {
            if (!wanted.contains(channel)) {
                return;
            }
            confirmation = confirmed.computeIfAbsent(channel, c -> new CompletableFuture<>());
        }
        try {
            confirmation.get(CONFIRM_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("subscription of %s not confirmed in time", channel);
        }
    }

    /**
     * {@code action} runs (on a thread of its own) each time the subscriptions are confirmed again
     * after the subscription connection was lost: Redis may have restarted without its data.
     */
    public synchronized void onResubscribed(Runnable action) {
        this.resubscribed = action;
    }

    /** True while subscribed to every wanted channel. */
    public synchronized boolean healthy() {
        return connection != null && subscribed.containsAll(wanted);
    }

    public synchronized void stop() {
        stopped = true;
        if (connection != null) {
            connection.close().subscribe().with(ok -> { }, DebugLogged.failure(LOG, "closing the subscription"));
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
            opened.close().subscribe().with(ok -> { }, DebugLogged.failure(LOG, "closing a subscription opened after stop"));
            return;
        }
        connection = opened;
        subscribed.clear();
        announceNextConfirmation = everConnected;
        everConnected = true;
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
        which.close().subscribe().with(ok -> { }, DebugLogged.failure(LOG, "closing the lost subscription"));
        retryLater();
    }

    private synchronized void retryLater() {
        connecting = false;
        if (!stopped) {
            vertx.setTimer(RETRY_MILLIS, id -> ensureConnected());
        }
    }

    /** The first confirmation on a connection that replaced a lost one runs the re-subscription action. */
    private synchronized void confirmedOn(RedisConnection which) {
        if (which != connection || !announceNextConfirmation) {
            return;
        }
        announceNextConfirmation = false;
        Runnable action = resubscribed;
        Thread.ofVirtual().name("edge-resubscribed").start(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "re-subscription action failed");
            }
        });
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
            List<CompletableFuture<Void>> confirmations = new ArrayList<>(toAdd.size());
            for (String channel : toAdd) {
                CompletableFuture<Void> previous = confirmed.get(channel);
                CompletableFuture<Void> next = previous == null || previous.isDone() ? new CompletableFuture<>() : previous;
                confirmed.put(channel, next);
                confirmations.add(next);
            }
            current.send(Request.cmd(Command.SUBSCRIBE, toAdd.toArray()))
                    .subscribe().with(ok -> {
                        confirmations.forEach(c -> c.complete(null));
                        confirmedOn(current);
                    }, failure -> {
                        LOG.debugf("SUBSCRIBE failed: %s", failure.getMessage());
                        lost(current);
                    });
        }
        if (!toDrop.isEmpty()) {
            toDrop.forEach(subscribed::remove);
            toDrop.forEach(confirmed::remove);
            current.send(Request.cmd(Command.UNSUBSCRIBE, toDrop.toArray()))
                    .subscribe().with(ok -> { }, DebugLogged.failure(LOG, "UNSUBSCRIBE"));
        }
    }
}
