package dev.relay.edge;

import static dev.relay.edge.Fixtures.message;
import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.presence.PresenceEntry;
import dev.relay.edge.config.NodeIdentity;
import dev.relay.edge.delivery.CloseCodes;
import dev.relay.edge.delivery.FrameJson;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * redis-server restarts without persistence (every key gone: presence, heartbeats, the epoch
 * counter) while clients stay connected. The node must put its presence back by itself, well before
 * its periodic refresh (a minute in {@link FaultProfile}), so fanout finds the open sockets again,
 * and a later connection of the same device must replace the old one, not be fenced by it.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class RedisRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Well below the profile's 60 s presence refresh: only the re-subscription brings presence back this fast. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL url;

    @Inject
    NodeIdentity node;

    @Inject
    FrameJson json;

    @Test
    void presenceOfOpenConnectionsComesBackAfterRedisRestartsEmptyAndDeliveriesFindThem() {
        String alice = unique("alice");
        String conversation = unique("c");
        LocalStack stack = LocalStack.shared();
        // The clients ping every second as real ones do, so no connection is closed for silence (6 s here).
        Set<StreamClient> open = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        heartbeat.scheduleWithFixedDelay(() -> open.forEach(client -> {
            try {
                if (!client.closed()) {
                    client.ping();
                }
            } catch (RuntimeException closedMeanwhile) {
                // Its close is what the test asserts.
            }
        }), 1, 1, TimeUnit.SECONDS);
        try (PresenceProbe probe = new PresenceProbe()) {
            // A fleet that has run a while: epochs far above what a fresh counter hands out.
            probe.advanceEpochs(1000);
            try (StreamClient phone = connect(alice, "phone"); StreamClient laptop = connect(alice, "laptop")) {
                String phoneId = helloOf(phone);
                helloOf(laptop);
                open.addAll(List.of(phone, laptop));
                await("phone and laptop registered").atMost(WAIT).until(() -> probe.devices(alice).size() == 2);

                stack.redis().stop();
                stack.restart(stack.redis());
                long restarted = System.nanoTime();

                await("presence and heartbeat back without a reconnect").atMost(BACK_WITHIN).until(() -> {
                    PresenceEntry entry = probe.devices(alice).get("phone");
                    return entry != null && entry.connectionId().equals(phoneId) && probe.devices(alice).size() == 2
                            && probe.nodeAlive(node.id());
                });
                System.out.printf("RedisRestartTest: presence and heartbeat back %d ms after redis-server answered%n",
                        Duration.ofNanos(System.nanoTime() - restarted).toMillis());
                await("the node channel subscribed again").atMost(WAIT).until(
                        () -> probe.subscribers(RedisKeys.nodeChannel(node.id())) == 1);

                // Routed as fanout routes: by the presence entry's node.
                String entryNode = probe.devices(alice).get("phone").nodeId();
                probe.publish(RedisKeys.nodeChannel(entryNode),
                        json.write(new EdgeCommand.Deliver(List.of(alice), message(conversation, 1))));
                for (StreamClient client : List.of(phone, laptop)) {
                    JsonNode pushed = client.next("message", WAIT).path("message");
                    assertThat(pushed.path("conversationId").asText()).isEqualTo(conversation);
                    assertThat(pushed.path("seq").asLong()).isEqualTo(1);
                }

                // The phone reconnects (say its network changed): the new connection replaces the old one.
                try (StreamClient newPhone = connect(alice, "phone")) {
                    assertThat(phone.awaitClose(WAIT)).as("the old phone connection").isEqualTo(CloseCodes.REPLACED);
                    String newPhoneId = helloOf(newPhone);
                    open.add(newPhone);
                    await("the new phone connection in presence").atMost(WAIT).until(
                            () -> newPhoneId.equals(probe.devices(alice).get("phone").connectionId()));
                    newPhone.untilPong(WAIT);
                    assertThat(newPhone.closed()).as("the new phone connection stays open").isFalse();
                }
            }
        } finally {
            heartbeat.shutdownNow();
        }
    }

    /** The connection id the node announced in {@code hello}. */
    private static String helloOf(StreamClient client) {
        return client.next("hello", WAIT).path("connectionId").asText();
    }

    private StreamClient connect(String user, String device) {
        return StreamClient.connect(url.getPort(), LocalStack.shared().tokens().forUser(user), device);
    }
}
