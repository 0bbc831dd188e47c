package dev.relay.edge.delivery;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs every connection's timers (silence, re-sends, gap holds) on a worker thread. */
@ApplicationScoped
public class DeliveryTicker {

    private final ConnectionRegistry connections;

    public DeliveryTicker(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Scheduled(every = "${relay.edge.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        long now = System.currentTimeMillis();
        for (EdgeConnection connection : connections.all()) {
            connection.tick(now);
        }
    }
}
