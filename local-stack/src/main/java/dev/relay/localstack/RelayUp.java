package dev.relay.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./relay up}: the local stack on fixed ports with data kept under {@code .relay/}, then the
 * four apps as separate processes pointed at it. Ctrl-C stops the apps (gracefully) and then the
 * servers; if this JVM is killed, every child's watchdog stops it.
 *
 * <p>Ports come from the environment: {@code RELAY_KAFKA_PORT} (9092), {@code RELAY_DYNAMODB_PORT}
 * (8000), {@code RELAY_REDIS_PORT} (6379); the apps listen where API.md says (8081-8084).
 */
public final class RelayUp {

    private static final Map<String, Integer> APPS = apps();

    private RelayUp() {
    }

    public static void main(String[] args) throws InterruptedException {
        RelayHome home = RelayHome.locate();
        Path data = home.root().resolve(".relay");
        long t0 = System.nanoTime();
        LocalStack stack = LocalStack.start(new LocalStack.Options(data,
                port("RELAY_KAFKA_PORT", 9092), port("RELAY_DYNAMODB_PORT", 8000), port("RELAY_REDIS_PORT", 6379),
                true, false));
        System.out.printf("relay: servers up in %.1f s (Kafka %s, DynamoDB %s, Redis %s)%n",
                (System.nanoTime() - t0) / 1e9, stack.kafka().bootstrapServers(), stack.dynamoDb().endpoint(),
                stack.redis().url());

        List<AppProcess> apps = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nrelay: stopping apps and servers…");
            apps.reversed().forEach(AppProcess::stop);
            stack.close();
            stopped.countDown();
        }, "relay-stop"));

        Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
        config.put("relay.edge.node-id", "edge-local");
        try {
            APPS.forEach((app, port) -> apps.add(AppProcess.start(home, app, port, config, data.resolve("logs"))));
            for (AppProcess app : apps) {
                app.awaitReady(Duration.ofSeconds(90));
            }
        } catch (RuntimeException e) {
            System.err.println("relay: start-up failed: " + e.getMessage());
            apps.forEach(app -> System.err.println("  log of " + app.name() + ": " + app.log()));
            System.exit(1);
        }

        System.out.printf("relay: up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("  ingest  http://localhost:8081   (POST /v1/dev/tokens, /v1/conversations, …/messages)");
        System.out.println("  edge    ws://localhost:8082/v1/stream");
        System.out.println("  sync    http://localhost:8083   (POST /v1/sync, GET /v1/conversations)");
        System.out.println("  fanout  http://localhost:8084   (health and metrics)");
        System.out.println("  health  http://localhost:808x/q/health/ready   logs " + data.resolve("logs"));
        DemoServer.startForRelayUp(home, port("RELAY_DEMO_PORT", 8080));
        System.out.println("  token   curl -s -XPOST localhost:8081/v1/dev/tokens -H 'content-type: application/json' -d '{\"userId\":\"alice\"}'");
        System.out.println("relay: Ctrl-C stops everything");
        stopped.await();
    }

    private static Map<String, Integer> apps() {
        Map<String, Integer> apps = new LinkedHashMap<>();
        apps.put("ingest-fn", 8081);
        apps.put("websocket-edge", 8082);
        apps.put("sync-fn", 8083);
        apps.put("fanout-fn", 8084);
        return apps;
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
