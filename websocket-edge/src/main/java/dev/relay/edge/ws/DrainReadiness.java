package dev.relay.edge.ws;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the node drains, so load balancers stop sending upgrades here. */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {

    private final NodeDrain drain;

    public DrainReadiness(NodeDrain drain) {
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("edge-accepting").status(!drain.draining()).build();
    }
}
