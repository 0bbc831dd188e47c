package dev.relay.edge;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The edge as the fault tests need it: presence refreshed only every minute (so a presence that
 * comes back sooner after a Redis restart came back on the node's own re-subscription, not the
 * periodic refresh), and room for only a few pending watermark writes (so a stalled store drops them).
 */
public class FaultProfile implements QuarkusTestProfile {

    static final int MAX_PENDING_WRITES = 8;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "relay.edge.presence-refresh", "60s",
                "relay.edge.presence-ttl", "120s",
                "relay.edge.ack.max-pending-writes", Integer.toString(MAX_PENDING_WRITES));
    }
}
