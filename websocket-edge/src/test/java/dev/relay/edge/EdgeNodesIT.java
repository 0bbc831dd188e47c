package dev.relay.edge;

import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.presence.PresenceEntry;
import dev.relay.localstack.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Edge nodes as separate processes from the packaged jar, against one Redis: cross-node fencing,
 * presence expiry after a crash (SIGKILL), and the SIGTERM drain of a node holding 500 clients.
 */
class EdgeNodesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Expiry is checked by Redis key TTLs; allow for a loaded machine on top of the configured TTL. */
    private static final Duration EXPIRY_SLACK = Duration.ofSeconds(5);
    private static final int DRAIN_CLIENTS = 500;

    private static PresenceProbe presence;

    @BeforeAll
    static void stack() {
        LocalStack.shared();
        presence = new PresenceProbe();
    }

    @AfterAll
    static void closeProbe() {
        presence.close();
    }

    @Test
    void newerConnectionOnAnotherNodeFencesTheOlderOneAndAKilledNodesPresenceExpires() {
        String nodeA = unique("edge-a");
        String nodeB = unique("edge-b");
        try (EdgeNodeProcess a = EdgeNodeProcess.start(nodeA); EdgeNodeProcess b = EdgeNodeProcess.start(nodeB)) {
            a.awaitReady();
            b.awaitReady();
            String user = unique("fenced");
            String other = unique("bystander");

            StreamClient onA = connect(a, user, "phone");
            JsonNode helloA = onA.next("hello", WAIT);
            assertThat(helloA.path("node").asText()).isEqualTo(nodeA);
            await("presence of " + user + " on " + nodeA).atMost(WAIT).until(
                    () -> nodeOf(user, "phone").equals(nodeA));

            StreamClient onB = connect(b, user, "phone");
            JsonNode helloB = onB.next("hello", WAIT);
            assertThat(onA.awaitClose(WAIT)).as("the older connection on the other node").isEqualTo(4010);
            await("presence of " + user + " moved to " + nodeB).atMost(WAIT).until(
                    () -> nodeOf(user, "phone").equals(nodeB));
            PresenceEntry entry = presence.devices(user).get("phone");
            assertThat(entry.connectionId()).isEqualTo(helloB.path("connectionId").asText());

            StreamClient bystander = connect(b, other, null);
            bystander.next("hello", WAIT);
            await("presence of " + other).atMost(WAIT).until(() -> !presence.devices(other).isEmpty());

            // Several refresh periods of both nodes pass: node A's old connection never takes the entry back.
            await("the entry stays on " + nodeB + " and its connection open").during(Duration.ofMillis(2500))
                    .atMost(WAIT).until(() -> !onB.closed() && nodeB.equals(presence.devices(user).get("phone").nodeId()));

            b.kill();
            long killed = System.nanoTime();
            Duration bound = EdgeNodeProcess.PRESENCE_TTL.plus(EXPIRY_SLACK);
            await("presence of " + nodeB + "'s users gone").atMost(bound).until(
                    () -> !presence.presenceKeyExists(user) && !presence.presenceKeyExists(other));
            await("heartbeat of " + nodeB + " gone").atMost(bound).until(() -> !presence.nodeAlive(nodeB));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(bound);
            assertThat(presence.nodeAlive(nodeA)).as("the live node keeps its heartbeat").isTrue();
        }
    }

    @Test
    void sigtermTellsEveryClientWhenToComeBackClosesWith1001AndLeavesNoPresence() throws Exception {
        String nodeId = unique("edge-drain");
        try (EdgeNodeProcess node = EdgeNodeProcess.start(nodeId)) {
            node.awaitReady();
            List<String> users = IntStream.range(0, DRAIN_CLIENTS).mapToObj(i -> unique("drained")).toList();
            List<StreamClient> clients = connectAll(node, users);
            for (StreamClient client : clients) {
                assertThat(client.next("hello", WAIT).path("node").asText()).isEqualTo(nodeId);
            }
            await("presence of all " + DRAIN_CLIENTS + " clients").atMost(WAIT).until(
                    () -> users.stream().allMatch(u -> nodeId.equals(nodeOfOrNull(u, "default"))));
            assertThat(presence.nodeAlive(nodeId)).isTrue();

            node.terminate();
            assertThat(node.alive()).as("the node exited after draining").isFalse();

            List<Long> delays = new ArrayList<>();
            for (StreamClient client : clients) {
                JsonNode draining = client.next("draining", WAIT);
                delays.add(draining.path("reconnectAfterMs").asLong(-1));
                assertThat(client.awaitClose(WAIT)).isEqualTo(1001);
            }
            long window = EdgeNodeProcess.DRAIN_WINDOW.toMillis();
            assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(0L, window - 1));
            assertThat(delays.stream().distinct().count()).as("distinct reconnect delays").isGreaterThan(DRAIN_CLIENTS / 4);
            long spread = delays.stream().mapToLong(Long::longValue).max().orElseThrow()
                    - delays.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(spread).as("reconnect delays spread over the window").isGreaterThan(window / 2);

            assertThat(users).allSatisfy(u -> assertThat(presence.devices(u)).as("presence of %s", u).isEmpty());
            assertThat(presence.nodeAlive(nodeId)).as("heartbeat of the drained node").isFalse();
        }
    }

    private static List<StreamClient> connectAll(EdgeNodeProcess node, List<String> users) throws Exception {
        List<StreamClient> clients = new ArrayList<>(users.size());
        int batch = 100;
        for (int from = 0; from < users.size(); from += batch) {
            List<CompletableFuture<StreamClient>> pending = users.subList(from, Math.min(users.size(), from + batch))
                    .stream()
                    .map(u -> StreamClient.connectAsync(node.port(), LocalStack.shared().tokens().forUser(u), null, false))
                    .toList();
            for (CompletableFuture<StreamClient> future : pending) {
                clients.add(future.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            }
        }
        return clients;
    }

    private static StreamClient connect(EdgeNodeProcess node, String user, String device) {
        return StreamClient.connect(node.port(), LocalStack.shared().tokens().forUser(user), device);
    }

    private static String nodeOf(String user, String device) {
        String node = nodeOfOrNull(user, device);
        return node == null ? "" : node;
    }

    private static String nodeOfOrNull(String user, String device) {
        Map<String, PresenceEntry> devices = presence.devices(user);
        PresenceEntry entry = devices.get(device);
        return entry == null ? null : entry.nodeId();
    }
}
