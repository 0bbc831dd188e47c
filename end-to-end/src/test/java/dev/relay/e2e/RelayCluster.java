package dev.relay.e2e;

import dev.relay.contract.names.Topics;
import dev.relay.localstack.LocalServer;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayApps;
import dev.relay.localstack.RelayHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The whole system as real processes: the local stack's servers, then the chosen apps
 * ({@link RelayApps}: each from its built jar, on a port of its own that it keeps across a kill and
 * restart). Every app is ready before the constructor returns.
 */
final class RelayCluster implements AutoCloseable {

    /** An app of the cluster: which module's jar, and the name its logs (and an edge's node id) go by. */
    enum App {
        INGEST("ingest-fn", "ingest-fn"),
        FANOUT("fanout-fn", "fanout-fn"),
        SYNC("sync-fn", "sync-fn"),
        EDGE_A("websocket-edge", "edge-a"),
        EDGE_B("websocket-edge", "edge-b"),
        /** A third edge node, for tests that crash the edge under their own client only. */
        EDGE_C("websocket-edge", "edge-c");

        final String module;
        final String name;

        App(String module, String name) {
            this.module = module;
            this.name = name;
        }
    }

    /** The live path and sync: ingest-fn, fanout-fn, sync-fn and two edge nodes. */
    static final Set<App> LIVE_PATH = EnumSet.range(App.INGEST, App.EDGE_B);

    /** Where DynamoDB Local keeps its items. */
    enum Storage {
        /** Fast; a killed DynamoDB Local comes back empty. */
        IN_MEMORY,
        /** A killed DynamoDB Local comes back with its tables and items. */
        ON_DISK
    }

    /** Five JVMs start at once on a small shared machine: minutes, not seconds, in the worst case. */
    private static final Duration READY = Duration.ofSeconds(300);

    private final LocalStack stack;
    private final RelayApps apps;

    /** @param name the folder under {@code end-to-end/target/app-logs} the apps' logs go to */
    RelayCluster(String name, Storage storage, Set<App> chosen) {
        stack = LocalStack.start(switch (storage) {
            case IN_MEMORY -> LocalStack.Options.forTests();
            case ON_DISK -> new LocalStack.Options(tempDir(), 0, 0, 0, true, true);
        });
        Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
        config.put("quarkus.log.level", "INFO");
        config.put("quarkus.log.category.\"org.apache.kafka\".level", "WARN");
        RelayHome home = RelayHome.locate();
        try {
            apps = RelayApps.launch(home, config, chosen.stream().map(RelayCluster::spec).toList(),
                    home.root().resolve("end-to-end/target/app-logs").resolve(name));
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        try {
            apps.awaitReady(READY, ready -> { });
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
        return "http://127.0.0.1:" + apps.port(app.name);
    }

    String ws(App edge) {
        return "ws://127.0.0.1:" + apps.port(edge.name) + "/v1/stream";
    }

    String syncUrl() {
        return http(App.SYNC) + "/v1/sync";
    }

    /** SIGKILL: the app dies as in a crash, with no shutdown hooks and nothing drained. */
    void kill(App app) {
        apps.kill(app.name);
    }

    /** SIGTERM: the app drains (an edge tells its clients when to reconnect) before it exits. */
    void stop(App app) {
        apps.stop(app.name);
    }

    /** Starts the app again on its port and returns once its readiness answers 200. */
    void restart(App app) {
        apps.restart(app.name, READY);
    }

    /** Starts the app again on its port and returns at once: its clients find it by reconnecting. */
    void startAgain(App app) {
        apps.startAgain(app.name);
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

    private static RelayApps.App spec(App app) {
        return new RelayApps.App(app.name, app.module, 0, extraConfig(app));
    }

    private static Map<String, String> extraConfig(App app) {
        return switch (app) {
            // The send limiter is not under test: its default (20/s per user) would throttle the streams of sends.
            case INGEST -> Map.of("relay.ingest.rate-limit.per-second", "10000", "relay.ingest.rate-limit.burst", "10000");
            // A SIGKILLed consumer never leaves its group: its partitions move to the restarted one only
            // when its session expires, so the session is short here (Kafka's default is 45 s).
            case FANOUT -> Map.of("mp.messaging.incoming.messages.session.timeout.ms", "10000",
                    "mp.messaging.incoming.messages.heartbeat.interval.ms", "1000");
            case SYNC -> Map.of();
            case EDGE_A, EDGE_B, EDGE_C -> Map.of("relay.edge.node-id", app.name);
        };
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("relay-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        apps.close();
        stack.close();
    }
}
