package dev.relay.edge.delivery;

import dev.relay.edge.config.EdgeConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Runs every connection's timers (silence, re-sends, gap holds) every {@code relay.edge.tick}. */
@ApplicationScoped
public class DeliveryTicker {

    private final ConnectionRegistry connections;
    private final FixedDelayTimers timers;
    private final EdgeConfig config;

    public DeliveryTicker(ConnectionRegistry connections, FixedDelayTimers timers, EdgeConfig config) {
        this.connections = connections;
        this.timers = timers;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        timers.every(config.tick(), "delivery tick", this::tick);
    }

    void tick() {
        long now = System.currentTimeMillis();
        for (EdgeConnection connection : connections.all()) {
            connection.tick(now);
        }
    }
}
