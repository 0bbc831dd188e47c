package dev.relay.e2e;

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
 * The whole system as real processes: the local stack's servers, then ingest-fn, fanout-fn,
 * sync-fn and two websocket-edge nodes ({@code edge-a}, {@code edge-b}) from their built jars.
 */
final class RelayCluster implements AutoCloseable {

    private final LocalStack stack;
    private final RelayHome home = RelayHome.locate();
    private final Path logs;
    private final List<AppProcess> apps = new ArrayList<>();
    private final Map<String, String> config;
    final AppProcess ingest;
    final AppProcess sync;
    final AppProcess edgeA;
    final AppProcess edgeB;
    AppProcess fanout;
    private final int fanoutPort;
    /** Five JVMs start at once on a small shared machine: minutes, not seconds, in the worst case. */
    private static final Duration READY = Duration.ofSeconds(300);
    private int fanoutRestarts;
    /**
     * A SIGKILLed consumer never leaves its group: its partitions move to the restarted one only when
     * its session expires, so the session is short here (Kafka's default is 45 s).
     */
    private static final Map<String, String> FANOUT = Map.of(
            "mp.messaging.incoming.messages.session.timeout.ms", "10000",
            "mp.messaging.incoming.messages.heartbeat.interval.ms", "1000");

    RelayCluster() {
        stack = LocalStack.start(LocalStack.Options.forTests());
        logs = home.root().resolve("end-to-end/target/app-logs");
        config = new LinkedHashMap<>(stack.quarkusConfig());
        config.put("quarkus.log.level", "INFO");
        config.put("quarkus.log.category.\"org.apache.kafka\".level", "WARN");
        try {
            // The send limiter is not under test here; its default (20/s per user) would throttle the 1,000 sends.
            ingest = start("ingest-fn", FreePorts.next(), Map.of(
                    "relay.ingest.rate-limit.per-second", "10000", "relay.ingest.rate-limit.burst", "10000"));
            sync = start("sync-fn", FreePorts.next(), Map.of());
            edgeA = start("websocket-edge", FreePorts.next(), Map.of("relay.edge.node-id", "edge-a"));
            edgeB = start("websocket-edge", FreePorts.next(), Map.of("relay.edge.node-id", "edge-b"));
            fanoutPort = FreePorts.next();
            fanout = start("fanout-fn", fanoutPort, FANOUT);
            for (AppProcess app : apps) {
                app.awaitReady(READY);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    LocalStack stack() {
        return stack;
    }

    String token(String userId) {
        return stack.tokens().forUser(userId);
    }

    String http(AppProcess app) {
        return "http://127.0.0.1:" + app.port();
    }

    String syncUrl() {
        return http(sync) + "/v1/sync";
    }

    String ws(AppProcess edge) {
        return "ws://127.0.0.1:" + edge.port() + "/v1/stream";
    }

    /** SIGKILL fanout-fn: it dies as in a crash, with its last polled offsets uncommitted. */
    void killFanout() {
        fanout.kill();
        apps.remove(fanout);
    }

    /** Starts a fresh fanout-fn on the same port and waits until it is ready. */
    void restartFanout() {
        fanout = start("fanout-fn", fanoutPort, FANOUT, "fanout-fn-restarted-" + ++fanoutRestarts);
        fanout.awaitReady(READY);
    }

    private AppProcess start(String app, int port, Map<String, String> extra) {
        return start(app, port, extra, extra.getOrDefault("relay.edge.node-id", app));
    }

    private AppProcess start(String app, int port, Map<String, String> extra, String logName) {
        Map<String, String> appConfig = new LinkedHashMap<>(config);
        appConfig.putAll(extra);
        AppProcess process = AppProcess.start(home, app, port, appConfig, logs.resolve(logName));
        apps.add(process);
        return process;
    }


    @Override
    public void close() {
        apps.reversed().forEach(AppProcess::stop);
        stack.close();
    }
}
