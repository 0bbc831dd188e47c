package dev.relay.edge;

import static dev.relay.edge.Fixtures.message;
import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contract.frame.EdgeCommand;
import dev.relay.edge.delivery.CloseCodes;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.DeliveryRouter;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.edge.delivery.EdgeMetrics;
import dev.relay.edge.membership.MembershipRegistry;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * However a connection ends, and however many of its ends race, it is released exactly once: gone
 * from the registry, its presence entry removed, its user's membership count lowered by one (so the
 * user's other connection keeps getting the conversation), one close counted, nothing left unacked.
 */
@QuarkusTest
class ConnectionEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL url;

    @Inject
    ConnectionRegistry connections;

    @Inject
    MembershipRegistry membership;

    @Inject
    DeliveryRouter router;

    @Inject
    EdgeMetrics metrics;

    @Test
    void fourEndsOfOneConnectionAtOnceReleaseItOnceAndLeaveTheUsersOtherConnectionAlone() throws Exception {
        String alice = unique("alice");
        String conversation = unique("c");
        Fixtures.putConversation(conversation, 2);
        Fixtures.putMember(conversation, alice);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (StreamClient laptop = connect(alice, "laptop"); StreamClient phone = connect(alice, "phone");
             PresenceProbe presence = new PresenceProbe()) {
            await("both devices in presence").atMost(WAIT)
                    .until(() -> presence.devices(alice).keySet().equals(Set.of("laptop", "phone")));
            await("both connections counted for the conversation").atMost(WAIT)
                    .until(() -> membership.localConnections(conversation).size() == 2);
            for (long seq = 1; seq <= 3; seq++) {
                router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, seq)));
                laptop.next("message", WAIT);
                phone.next("message", WAIT);
            }
            laptop.ack(conversation, 3);
            EdgeConnection ending = connections.ofUser(alice).stream()
                    .filter(c -> c.device().equals("phone")).findFirst().orElseThrow();
            assertThat(ending.unackedCount()).isEqualTo(3);
            double closesBefore = closes();

            // A server close (4009), the drain's close (1001), the socket closing as @OnClose reports it,
            // and the client's own close, released together.
            CyclicBarrier together = new CyclicBarrier(4);
            List<Future<Object>> ends = threads.invokeAll(List.<Callable<Object>>of(
                    () -> at(together, () -> ending.close(CloseCodes.TOO_SLOW, "test: too slow")),
                    () -> at(together, () -> ending.drain(0)),
                    () -> at(together, ending::socketClosed),
                    () -> at(together, phone::close)));
            for (Future<Object> end : ends) {
                end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            // Every end returns the first one's completion: done once the connection is released.
            ending.drain(0).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(ending.isClosed()).isTrue();
            assertThat(connections.byId(ending.id())).isNull();
            assertThat(connections.ofUser(alice)).extracting(EdgeConnection::device).containsExactly("laptop");
            assertThat(membership.localConnections(conversation)).as("alice left once: her laptop still counts")
                    .extracting(EdgeConnection::device).containsExactly("laptop");
            assertThat(ending.unackedCount()).isZero();
            assertThat(closes() - closesBefore).as("closes counted: one server close, or none when the client's came first")
                    .isBetween(0.0, 1.0);
            await("only the laptop in presence").atMost(WAIT)
                    .until(() -> presence.devices(alice).keySet().equals(Set.of("laptop")));
            await("the node counts the connections it holds").atMost(WAIT)
                    .until(() -> metrics.connections() == connections.size());

            router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, 4)));
            assertThat(laptop.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(4);
        } finally {
            threads.shutdownNow();
        }
    }

    private double closes() {
        return metrics.closes(CloseCodes.TOO_SLOW).count() + metrics.closes(CloseCodes.GOING_AWAY).count();
    }

    private static Object at(CyclicBarrier together, Runnable end) throws Exception {
        together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        end.run();
        return null;
    }

    private StreamClient connect(String user, String device) {
        StreamClient client = StreamClient.connect(url.getPort(), LocalStack.shared().tokens().forUser(user), device);
        client.next("hello", WAIT);
        return client;
    }
}
