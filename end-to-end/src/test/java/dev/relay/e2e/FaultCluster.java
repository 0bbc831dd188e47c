package dev.relay.e2e;

import dev.relay.contract.names.Topics;
import dev.relay.localstack.AppProcess;
import dev.relay.localstack.FreePorts;
import dev.relay.localstack.LocalServer;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The whole system as real processes for the fault suite: Kafka, DynamoDB Local <em>with a data
 * directory</em> (so a killed DynamoDB comes back with its tables and items) and Redis, then ingest-fn,
 * fanout-fn, sync-fn and two websocket-edge nodes. Every app keeps its port across a SIGKILL and
 * restart, so clients and the other apps find it again where it was.
 */
final class FaultCluster implements AutoCloseable {

    /** An app of the cluster: which jar, on which port, with which extra settings. */
    enum App {
        INGEST("ingest-fn"), FANOUT("fanout-fn"), SYNC("sync-fn"), EDGE_A("websocket-edge"), EDGE_B("websocket-edge");

        final String module;

        App(String module) {
            this.module = module;
        }
    }

    /** Five JVMs start at once on a small shared machine: minutes, not seconds, in the worst case. */
    private static final Duration READY = Duration.ofSeconds(300);

    private final LocalStack stack;
    private final RelayHome home = RelayHome.locate();
    private final Path logs;
    private final Map<String, String> config;
    private final Map<App, Integer> ports = new LinkedHashMap<>();
    private final Map<App, AppProcess> running = new LinkedHashMap<>();
    private final Map<App, Integer> starts = new LinkedHashMap<>();

    FaultCluster() {
        try {
            stack = LocalStack.start(new LocalStack.Options(Files.createTempDirectory("relay-fault-"), 0, 0, 0, true, true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        logs = home.root().resolve("end-to-end/target/app-logs/fault-suite");
        config = new LinkedHashMap<>(stack.quarkusConfig());
        config.put("quarkus.log.level", "INFO");
        config.put("quarkus.log.category.\"org.apache.kafka\".level", "WARN");
        try {
            for (App app : App.values()) {
                ports.put(app, FreePorts.next());
                start(app);
            }
            for (AppProcess process : running.values()) {
                process.awaitReady(READY);
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

    String http(App app) {
        return "http://127.0.0.1:" + ports.get(app);
    }

    String ws(App edge) {
        return "ws://127.0.0.1:" + ports.get(edge) + "/v1/stream";
    }

    /** SIGKILL: the app dies as in a crash, with no shutdown hooks and nothing drained. */
    synchronized void kill(App app) {
        AppProcess process = running.remove(app);
        if (process != null) {
            process.kill();
        }
    }

    /** Starts the app again on its port and returns once its readiness answers 200. */
    void restart(App app) {
        AppProcess process;
        synchronized (this) {
            process = start(app);
        }
        process.awaitReady(READY);
    }

    /** SIGKILL of one server of the stack; its data directory stays. */
    void kill(LocalServer server) {
        server.kill();
    }

    /** SIGTERM of one server of the stack: a clean stop, as an operator or a maintenance would do it. */
    void stop(LocalServer server) {
        server.stop();
    }

    /** Starts the server again on its port (topics and tables are kept, or created if missing). */
    void restart(LocalServer server) {
        stack.restart(server);
    }

    /** Records in the fanout dead-letter topic, all partitions (end offset: nothing is ever deleted there). */
    long deadLetters() {
        try (Admin admin = stack.kafka().admin()) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.MESSAGES_DLQ)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.MESSAGES_DLQ).partitions().stream()
                    .map(p -> new TopicPartition(Topics.MESSAGES_DLQ, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the dead-letter topic's offsets", e);
        }
    }

    private AppProcess start(App app) {
        Map<String, String> appConfig = new LinkedHashMap<>(config);
        appConfig.putAll(extraConfig(app));
        int n = starts.merge(app, 1, Integer::sum);
        String logName = app.name().toLowerCase().replace('_', '-') + (n == 1 ? "" : "-restart-" + (n - 1));
        AppProcess process = AppProcess.start(home, app.module, ports.get(app), appConfig, logs.resolve(logName));
        running.put(app, process);
        return process;
    }

    private static Map<String, String> extraConfig(App app) {
        return switch (app) {
            // The send limiter is not under test: its default (20/s per user) would throttle the stream.
            case INGEST -> Map.of("relay.ingest.rate-limit.per-second", "10000", "relay.ingest.rate-limit.burst", "10000");
            // A SIGKILLed consumer never leaves its group: its partitions move to the restarted one only
            // when its session expires, so the session is short here (Kafka's default is 45 s).
            case FANOUT -> Map.of("mp.messaging.incoming.messages.session.timeout.ms", "10000",
                    "mp.messaging.incoming.messages.heartbeat.interval.ms", "1000");
            case SYNC -> Map.of();
            case EDGE_A -> Map.of("relay.edge.node-id", "edge-a");
            case EDGE_B -> Map.of("relay.edge.node-id", "edge-b");
        };
    }


    @Override
    public synchronized void close() {
        List.copyOf(running.values()).reversed().forEach(AppProcess::stop);
        running.clear();
        stack.close();
    }
}
