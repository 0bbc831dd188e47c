package dev.relay.e2e;

import dev.relay.localstack.AppProcess;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

    RelayCluster() {
        stack = LocalStack.start(LocalStack.Options.forTests());
        logs = home.root().resolve("end-to-end/target/app-logs");
        config = new LinkedHashMap<>(stack.quarkusConfig());
        config.put("quarkus.log.level", "INFO");
        config.put("quarkus.log.category.\"org.apache.kafka\".level", "WARN");
        try {
            ingest = start("ingest-fn", freePort(), Map.of());
            sync = start("sync-fn", freePort(), Map.of());
            edgeA = start("websocket-edge", freePort(), Map.of("relay.edge.node-id", "edge-a"));
            edgeB = start("websocket-edge", freePort(), Map.of("relay.edge.node-id", "edge-b"));
            fanoutPort = freePort();
            fanout = start("fanout-fn", fanoutPort, Map.of());
            for (AppProcess app : apps) {
                app.awaitReady(Duration.ofSeconds(120));
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

    String ws(AppProcess edge) {
        return "ws://127.0.0.1:" + edge.port() + "/v1/stream";
    }

    /** SIGKILL fanout-fn, then start a fresh one on the same port and wait until it is ready. */
    void crashAndRestartFanout() {
        fanout.kill();
        apps.remove(fanout);
        fanout = start("fanout-fn", fanoutPort, Map.of());
        fanout.awaitReady(Duration.ofSeconds(120));
    }

    private AppProcess start(String app, int port, Map<String, String> extra) {
        Map<String, String> appConfig = new LinkedHashMap<>(config);
        appConfig.putAll(extra);
        String logName = extra.getOrDefault("relay.edge.node-id", app);
        AppProcess process = AppProcess.start(home, app, port, appConfig, logs.resolve(logName));
        apps.add(process);
        return process;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        apps.reversed().forEach(AppProcess::stop);
        stack.close();
    }
}
