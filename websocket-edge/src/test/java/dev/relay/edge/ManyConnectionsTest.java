package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.localstack.DevTokens;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** One node holds 2,000 concurrent connections: every one gets {@code hello} and answers {@code ping}. */
// Runs after the other default-profile tests of this module, just before ReadinessTest (the pom makes @Order
// Quarkus's secondary class orderer), so its 2,000 connections do not slow the timing-sensitive tests.
@Order(Integer.MAX_VALUE - 1)
@QuarkusTest
class ManyConnectionsTest {

    private static final int CONNECTIONS = 2_000;
    /** Upgrades in flight at once, so a 2-core machine is not asked for 2,000 handshakes in one burst. */
    private static final int BATCH = 100;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL url;

    @Inject
    ConnectionRegistry connections;

    @Test
    void twoThousandConcurrentConnectionsAllGetHelloAndPong() throws Exception {
        int before = connections.size();
        DevTokens tokens = LocalStack.shared().tokens();
        String run = Fixtures.unique("crowd");
        List<StreamClient> clients = new CopyOnWriteArrayList<>();
        Map<StreamClient, String> users = new ConcurrentHashMap<>();
        // Connecting 2,000 takes longer than the test profile's silence limit: keep the early ones talking.
        ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
        keepAlive.scheduleWithFixedDelay(() -> clients.forEach(StreamClient::ping), 500, 1000, TimeUnit.MILLISECONDS);
        try {
            for (int from = 0; from < CONNECTIONS; from += BATCH) {
                List<CompletableFuture<StreamClient>> pending = new ArrayList<>(BATCH);
                for (int i = from; i < Math.min(CONNECTIONS, from + BATCH); i++) {
                    // Kept alive from the moment it is open, not once its whole batch is.
                    String user = run + "-" + i;
                    pending.add(StreamClient.connectAsync(url.getPort(), tokens.forUser(user), null, false)
                            .thenApply(client -> {
                                users.put(client, user);
                                clients.add(client);
                                client.ping();
                                return client;
                            }));
                }
                for (CompletableFuture<StreamClient> future : pending) {
                    future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }
            // Every client's first frame is hello; a missing one is named, not just counted.
            List<String> withoutHello = new ArrayList<>();
            for (StreamClient client : clients) {
                try {
                    client.next("hello", withoutHello.isEmpty() ? WAIT : Duration.ofMillis(100));
                } catch (AssertionError e) {
                    withoutHello.add(users.get(client) + ": " + e.getMessage());
                }
            }
            assertThat(withoutHello).isEmpty();
            assertThat(clients).as("clients closed by the server, with codes %s", closeCodes(clients))
                    .noneMatch(StreamClient::closed);
            // Counted by this test's users: connections of earlier tests may still be closing meanwhile.
            assertThat(users.values().stream().filter(user -> !connections.ofUser(user).isEmpty()).count())
                    .as("users of this test with a connection on the node").isEqualTo(CONNECTIONS);
            keepAlive.shutdownNow();
            keepAlive.awaitTermination(10, TimeUnit.SECONDS);

            clients.forEach(StreamClient::drained);
            clients.forEach(StreamClient::ping);
            for (StreamClient client : clients) {
                assertThat(client.next("pong", WAIT).path("type").asText()).isEqualTo("pong");
            }
            assertThat(clients).as("clients closed by the server, with codes %s", closeCodes(clients))
                    .noneMatch(StreamClient::closed);
        } finally {
            keepAlive.shutdownNow();
            clients.forEach(StreamClient::close);
        }
        await("all 2,000 connections released").atMost(WAIT).until(() -> connections.size() <= before);
    }

    private static Map<Integer, Long> closeCodes(List<StreamClient> clients) {
        return clients.stream().filter(StreamClient::closed)
                .collect(Collectors.groupingBy(c -> c.closeCode().join(), Collectors.counting()));
    }
}
