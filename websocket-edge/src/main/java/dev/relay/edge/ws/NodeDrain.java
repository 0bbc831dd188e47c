package dev.relay.edge.ws;

import dev.relay.edge.config.EdgeConfig;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.DeliveredSeqWriter;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.edge.redis.ChannelSubscriber;
import dev.relay.edge.redis.PresenceRefresher;
import dev.relay.edge.redis.PresenceRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * Graceful shutdown (SIGTERM): refuse new upgrades and report not ready, tell every client
 * {@code draining} with its own random {@code reconnectAfterMs} in [0, window) so reconnects spread
 * over the window, close each with 1001, remove this node's presence entries and heartbeat, and
 * write pending acks. Nothing is lost: unacked messages are in DynamoDB and clients sync.
 */
@ApplicationScoped
public class NodeDrain {

    private static final Logger LOG = Logger.getLogger(NodeDrain.class);

    private final ConnectionRegistry connections;
    private final PresenceRefresher presenceRefresher;
    private final PresenceRegistry presence;
    private final ChannelSubscriber subscriber;
    private final DeliveredSeqWriter deliveredSeqs;
    private final EdgeConfig config;
    private volatile boolean draining;

    public NodeDrain(ConnectionRegistry connections, PresenceRefresher presenceRefresher, PresenceRegistry presence,
                     ChannelSubscriber subscriber, DeliveredSeqWriter deliveredSeqs, EdgeConfig config) {
        this.connections = connections;
        this.presenceRefresher = presenceRefresher;
        this.presence = presence;
        this.subscriber = subscriber;
        this.deliveredSeqs = deliveredSeqs;
        this.config = config;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * SIGTERM drains before Quarkus starts to shut down, while the HTTP server and every socket are
     * still open (Quarkus's own shutdown closes sockets alongside any observer), then exits normally.
     */
    void onStart(@Observes StartupEvent event) {
        Signal.handle(new Signal("TERM"), signal -> Thread.ofPlatform().name("edge-drain").start(() -> {
            drain();
            System.exit(0);
        }));
    }

    /** Any other shutdown (e.g. tests stopping the app): drain if not done yet. */
    void onShutdown(@Observes ShutdownEvent event) {
        drain();
    }

    /**
     * Drains every connection; bounded by {@code relay.edge.drain.timeout}. Whoever calls second (SIGTERM
     * after the target-draining watch, or shutdown after SIGTERM) waits for the first drain to finish.
     */
    public synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
        presenceRefresher.stop();
        long started = System.nanoTime();
        long window = Math.max(1, config.drain().window().toMillis());
        List<EdgeConnection> all = List.copyOf(connections.all());
        List<CompletableFuture<Void>> steps = new ArrayList<>(all.size() + 1);
        for (EdgeConnection connection : all) {
            // completes once the socket is closed and the connection released (presence entry included)
            steps.add(connection.drain(ThreadLocalRandom.current().nextLong(window)));
        }
        steps.add(presence.removeNode().onFailure().recoverWithNull().subscribeAsCompletionStage());
        try {
            CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
                    .get(config.drain().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("drain did not finish within %s: %s", config.drain().timeout(), e.getClass().getSimpleName());
        }
        subscriber.stop();
        deliveredSeqs.flushWithin(config.drain().timeout());
        LOG.infof("drained %d connections in %d ms", all.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
