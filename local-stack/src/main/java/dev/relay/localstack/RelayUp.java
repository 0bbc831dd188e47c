package dev.relay.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./relay up}: the local stack on fixed ports with data kept in the data directory
 * ({@code .relay/}, see {@link RelayHome#dataDir()}), then the four apps as separate processes
 * pointed at it. Prints one progress line per part as it becomes ready and the addresses once all
 * are. Ctrl-C (or {@code ./relay down} from another terminal, which sends SIGTERM) stops the apps
 * gracefully, then the servers; if this JVM is killed, every child's watchdog stops it.
 *
 * <p>Every port can be moved through its {@code RELAY_*_PORT} variable (see {@link #PARTS}); a port
 * that is taken is reported with its owner before anything starts. While running, the stack is
 * described by {@link StackState} in the data directory.
 */
public final class RelayUp {

    /** One part of the local run: its name, the variable that moves it, and its usual port. */
    record Part(String name, String variable, int defaultPort, boolean app) {

        int port() {
            String value = System.getenv(variable);
            return value == null || value.isBlank() ? defaultPort : Integer.parseInt(value.trim());
        }
    }

    /** In start order: the servers, then the apps (ports as API.md gives them). */
    static final List<Part> PARTS = List.of(
            new Part("kafka", "RELAY_KAFKA_PORT", 9092, false),
            new Part("dynamodb", "RELAY_DYNAMODB_PORT", 8000, false),
            new Part("redis", "RELAY_REDIS_PORT", 6379, false),
            new Part("ingest-fn", "RELAY_INGEST_PORT", 8081, true),
            new Part("websocket-edge", "RELAY_EDGE_PORT", 8082, true),
            new Part("sync-fn", "RELAY_SYNC_PORT", 8083, true),
            new Part("fanout-fn", "RELAY_FANOUT_PORT", 8084, true));

    private static final Duration APP_READY = Duration.ofSeconds(180);

    private RelayUp() {
    }

    public static void main(String[] args) throws InterruptedException {
        RelayHome home = RelayHome.locate();
        Path data = home.dataDir();
        StackState.running(data).ifPresent(running -> exit("relay: already running from " + data + " (pid "
                + running.pid() + ", since " + running.since() + "): ./relay status shows it, ./relay down stops it"));

        Map<String, Integer> ports = new LinkedHashMap<>();
        List<String> taken = new ArrayList<>();
        for (Part part : PARTS) {
            int port = part.port();
            ports.put(part.name(), port);
            if (!PortOwners.free(port)) {
                taken.add("relay: port " + port + " (" + part.name() + ") is taken by " + PortOwners.owner(port)
                        + "; stop it, or move " + part.name() + " with " + part.variable() + "=<port>");
            }
        }
        if (!taken.isEmpty()) {
            taken.forEach(System.err::println);
            System.exit(1);
        }

        StackState state = new StackState(ProcessHandle.current().pid(), Instant.now(), false, ports);
        state.write(data);
        long t0 = System.nanoTime();
        AtomicReference<LocalStack> stack = new AtomicReference<>();
        AtomicReference<RelayApps> apps = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nrelay: stopping apps and servers…");
            if (apps.get() != null) {
                apps.get().close();
            }
            if (stack.get() != null) {
                stack.get().close();
            }
            state.remove(data);
            System.out.println("relay: stopped");
            stopped.countDown();
        }, "relay-stop"));

        try {
            stack.set(LocalStack.start(new LocalStack.Options(data, ports.get("kafka"), ports.get("dynamodb"),
                    ports.get("redis"), true, false), line -> System.out.println("relay: " + line)));
            Map<String, String> config = new LinkedHashMap<>(stack.get().quarkusConfig());
            config.put("relay.edge.node-id", "edge-local");
            apps.set(RelayApps.launch(home, config, PARTS.stream().filter(Part::app)
                    .map(part -> RelayApps.App.of(part.name()).withPort(ports.get(part.name()))).toList(), data.resolve("logs")));
            apps.get().awaitReady(APP_READY, app -> System.out.printf("relay: %s ready in %.1f s (port %d)%n",
                    app.name(), seconds(t0), app.port()));
        } catch (RuntimeException e) {
            System.err.println("relay: start-up failed: " + e.getMessage());
            if (apps.get() != null) {
                apps.get().running().forEach(app -> System.err.println("  log of " + app.name() + ": " + app.log()));
            }
            System.exit(1);
        }
        state.asReady().write(data);

        System.out.printf("relay: up in %.1f s%n", seconds(t0));
        System.out.printf("  ingest  http://localhost:%d   (POST /v1/dev/tokens, /v1/conversations, …/messages)%n", ports.get("ingest-fn"));
        System.out.printf("  edge    ws://localhost:%d/v1/stream%n", ports.get("websocket-edge"));
        System.out.printf("  sync    http://localhost:%d   (POST /v1/sync, GET /v1/conversations)%n", ports.get("sync-fn"));
        System.out.printf("  fanout  http://localhost:%d   (health and metrics)%n", ports.get("fanout-fn"));
        DemoServer.startForRelayUp(home, demoPort(), Map.of(
                "ingestUrl", "http://localhost:" + ports.get("ingest-fn"),
                "syncUrl", "http://localhost:" + ports.get("sync-fn"),
                "edgeUrl", "ws://localhost:" + ports.get("websocket-edge")));
        System.out.println("  health  ./relay status   (each app's /q/health/ready; logs in " + data.resolve("logs") + ")");
        System.out.printf("  token   curl -s -XPOST localhost:%d/v1/dev/tokens -H 'content-type: application/json' -d '{\"userId\":\"alice\"}'%n",
                ports.get("ingest-fn"));
        System.out.println("relay: Ctrl-C (or ./relay down) stops everything; data stays in " + data);
        stopped.await();
    }

    /** The demo page's port: {@code RELAY_DEMO_PORT}, else 8080. */
    private static int demoPort() {
        String value = System.getenv("RELAY_DEMO_PORT");
        return value == null || value.isBlank() ? 8080 : Integer.parseInt(value.trim());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void exit(String message) {
        System.err.println(message);
        System.exit(1);
    }
}
