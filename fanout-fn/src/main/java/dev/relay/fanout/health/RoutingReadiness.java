package dev.relay.fanout.health;

import dev.relay.fanout.route.RoutingPause;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code fanout-routing}: DOWN while routing of stored messages is paused on an unavailable
 * dependency, with one data entry per dependency ({@code redis}, {@code dynamodb}) giving since
 * when (ISO-8601). UP again as soon as every waiting partition routed its record.
 */
@Readiness
@ApplicationScoped
public class RoutingReadiness implements HealthCheck {

    private final RoutingPause pause;

    public RoutingReadiness(RoutingPause pause) {
        this.pause = pause;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Instant> unavailable = pause.unavailable();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("fanout-routing").status(unavailable.isEmpty());
        unavailable.forEach((dependency, since) -> response.withData(dependency, since.toString()));
        if (!unavailable.isEmpty()) {
            response.withData("paused", "routing paused: " + String.join(", ", unavailable.keySet()) + " unreachable");
        }
        return response.build();
    }
}
