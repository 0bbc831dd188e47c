package dev.relay.edge.delivery;

import dev.relay.edge.config.EdgeConfig;
import dev.relay.edge.config.NodeIdentity;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The connections this node holds, by connection id and by user. */
@ApplicationScoped
public class ConnectionRegistry {

    private final Map<String, EdgeConnection> byId = new ConcurrentHashMap<>();
    private final Map<String, List<EdgeConnection>> byUser = new ConcurrentHashMap<>();
    private final ConnectionLimits limits;
    private final NodeIdentity node;
    private final EdgeMetrics metrics;
    private final FrameJson json;
    private final DeliveredSeqWriter deliveredSeqs;
    private final Vertx vertx;

    public ConnectionRegistry(EdgeConfig config, NodeIdentity node, EdgeMetrics metrics, FrameJson json,
                              DeliveredSeqWriter deliveredSeqs, Vertx vertx) {
        this.limits = ConnectionLimits.of(config);
        this.node = node;
        this.metrics = metrics;
        this.json = json;
        this.deliveredSeqs = deliveredSeqs;
        this.vertx = vertx;
    }

    /**
     * Creates the connection, makes it reachable by deliveries and queues {@code hello}. Both happen
     * under the connection's lock: a delivery racing the open waits, so it is neither lost (the
     * client already holds {@code hello}) nor written before {@code hello}. {@code release} runs once
     * when the connection ends, however it ends.
     */
    public EdgeConnection open(WebSocketConnection socket, String userId, String device, long tokenExpiresAtMillis,
                               ConnectionRelease release) {
        EdgeConnection connection = new EdgeConnection(socket, userId, device, tokenExpiresAtMillis,
                limits, metrics, json, deliveredSeqs, release);
        synchronized (connection) {
            byId.put(connection.id(), connection);
            byUser.compute(userId, (user, list) -> append(list, connection));
            connection.start(node.id(), vertx);
        }
        metrics.opened();
        return connection;
    }

    /**
     * Forgets an ended connection (part of its {@link ConnectionRelease}). True only for the call that
     * removed it, so the connection count drops once however often this is called.
     */
    public boolean remove(EdgeConnection connection) {
        if (!byId.remove(connection.id(), connection)) {
            return false;
        }
        byUser.computeIfPresent(connection.userId(), (user, list) -> without(list, connection));
        metrics.gone();
        return true;
    }

    public EdgeConnection byId(String connectionId) {
        return byId.get(connectionId);
    }

    public List<EdgeConnection> ofUser(String userId) {
        return byUser.getOrDefault(userId, List.of());
    }

    public Collection<EdgeConnection> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }

    private static List<EdgeConnection> append(List<EdgeConnection> list, EdgeConnection connection) {
        if (list == null) {
            return List.of(connection);
        }
        List<EdgeConnection> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(connection);
        return List.copyOf(copy);
    }

    private static List<EdgeConnection> without(List<EdgeConnection> list, EdgeConnection connection) {
        List<EdgeConnection> copy = new ArrayList<>(list);
        copy.remove(connection);
        return copy.isEmpty() ? null : List.copyOf(copy);
    }
}
