package dev.relay.load;

import dev.relay.localstack.AppProcess;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayApps;
import dev.relay.localstack.RelayHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live path's apps as processes on a local stack ({@link RelayApps}) — ingest-fn, two
 * websocket-edge nodes (edge-a, edge-b) and fanout-fn — each ready before {@link #start} returns,
 * stopped in reverse order on close (before the stack, so no app outlives its servers). The rate
 * limiter is lifted: it is not what a benchmark measures.
 */
final class LivePathApps implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(180);

    private final RelayApps apps;

    private LivePathApps(RelayApps apps) {
        this.apps = apps;
    }

    static LivePathApps start(RelayHome home, LocalStack stack, Path logs) {
        Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
        config.put("quarkus.log.level", "WARN");
        config.put("relay.ingest.rate-limit.per-second", "1000");
        config.put("relay.ingest.rate-limit.burst", "1000");
        RelayApps apps = RelayApps.launch(home, config, List.of(RelayApps.App.of("ingest-fn"),
                RelayApps.App.edge("edge-a"), RelayApps.App.edge("edge-b"), RelayApps.App.of("fanout-fn")), logs);
        try {
            apps.awaitReady(READY, ready -> { });
        } catch (RuntimeException e) {
            apps.close();
            throw e;
        }
        return new LivePathApps(apps);
    }

    AppProcess ingest() {
        return apps.get("ingest-fn");
    }

    AppProcess edgeA() {
        return apps.get("edge-a");
    }

    AppProcess edgeB() {
        return apps.get("edge-b");
    }

    AppProcess fanout() {
        return apps.get("fanout-fn");
    }

    List<AppProcess> all() {
        return List.of(ingest(), fanout(), edgeA(), edgeB());
    }

    @Override
    public void close() {
        apps.close();
    }
}
