package dev.relay.load;

import dev.relay.localstack.AppProcess;
import dev.relay.localstack.FreePorts;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live path's apps as processes on a local stack — ingest-fn, two websocket-edge nodes (edge-a,
 * edge-b) and fanout-fn — each ready before {@link #start} returns, stopped in reverse order on
 * close (before the stack, so no app outlives its servers). The rate limiter is lifted: it is not
 * what a benchmark measures.
 */
record LivePathApps(AppProcess ingest, AppProcess edgeA, AppProcess edgeB, AppProcess fanout) implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(180);

    static LivePathApps start(RelayHome home, LocalStack stack, Path logs) {
        Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
        config.put("quarkus.log.level", "WARN");
        config.put("relay.ingest.rate-limit.per-second", "1000");
        config.put("relay.ingest.rate-limit.burst", "1000");
        List<AppProcess> started = new ArrayList<>();
        try {
            AppProcess ingest = start(started, home, "ingest-fn", config, Map.of(), logs.resolve("ingest-fn"));
            AppProcess edgeA = start(started, home, "websocket-edge", config, Map.of("relay.edge.node-id", "edge-a"), logs.resolve("edge-a"));
            AppProcess edgeB = start(started, home, "websocket-edge", config, Map.of("relay.edge.node-id", "edge-b"), logs.resolve("edge-b"));
            AppProcess fanout = start(started, home, "fanout-fn", config, Map.of(), logs.resolve("fanout-fn"));
            for (AppProcess app : started) {
                app.awaitReady(READY);
            }
            return new LivePathApps(ingest, edgeA, edgeB, fanout);
        } catch (RuntimeException e) {
            started.reversed().forEach(AppProcess::stop);
            throw e;
        }
    }

    List<AppProcess> all() {
        return List.of(ingest, fanout, edgeA, edgeB);
    }

    @Override
    public void close() {
        List.of(fanout, edgeB, edgeA, ingest).forEach(AppProcess::stop);
    }

    private static AppProcess start(List<AppProcess> started, RelayHome home, String app, Map<String, String> config,
                                    Map<String, String> extra, Path logDir) {
        Map<String, String> appConfig = new LinkedHashMap<>(config);
        appConfig.putAll(extra);
        AppProcess process = AppProcess.start(home, app, FreePorts.next(), appConfig, logDir);
        started.add(process);
        return process;
    }
}
