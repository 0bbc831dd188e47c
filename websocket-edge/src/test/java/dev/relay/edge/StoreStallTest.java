package dev.relay.edge;

import static dev.relay.edge.Fixtures.message;
import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contract.frame.EdgeCommand;
import dev.relay.edge.delivery.CloseCodes;
import dev.relay.edge.delivery.DeliveredSeqWriter;
import dev.relay.edge.delivery.DeliveryRouter;
import dev.relay.localstack.DynamoDbServer;
import dev.relay.localstack.LocalStack;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB Local hangs (SIGSTOP: it keeps its port and data and answers nothing, so every write
 * waits for the SDK's 30 s socket timeout) while connections are open: delivery timing must not
 * notice. The watermark writer is then blocked inside a DynamoDB call; re-sends and idle closes run
 * on their own schedule, further watermarks coalesce or are dropped and counted, and once DynamoDB
 * answers again the latest watermark is written.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class StoreStallTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Test profile: heartbeat 3 s, so a connection silent for 6 s is closed. */
    private static final Duration SILENCE_CLOSE = Duration.ofSeconds(6);

    @TestHTTPResource("/")
    URL url;

    @Inject
    DeliveryRouter router;

    @Inject
    DeliveredSeqWriter deliveredSeqs;

    @Inject
    MeterRegistry registry;

    @Test
    void resendsAndIdleClosesKeepTheirScheduleWhileDynamoDbHangsAndTheLatestWatermarkIsWrittenAfter() {
        String alice = unique("alice");
        String conversation = unique("c");
        Fixtures.putMember(conversation, alice);
        DynamoDbServer dynamoDb = LocalStack.shared().dynamoDb();
        try (StreamClient client = connect(alice, null); StreamClient silent = connect(unique("bob"), null)) {
            long silentSince = System.nanoTime();
            deliver(alice, conversation, 1);
            assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(1);
            client.ack(conversation, 1);
            await("deliveredSeq 1 while DynamoDB answers").atMost(WAIT).until(
                    () -> Fixtures.deliveredSeq(conversation, alice) == 1);

            dynamoDb.freeze();
            try {
                deliver(alice, conversation, 2);
                assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(2);
                client.ack(conversation, 2);
                // Until the edge has handled the ack, a re-send of 2 may be on its way.
                assertThat(client.untilPong(WAIT)).allSatisfy(frame ->
                        assertThat(frame.path("message").path("seq").asLong()).isEqualTo(2));
                // The writer's next round takes the raise to 2 and hangs in DynamoDB.
                await("the watermark write of 2 in flight").atMost(WAIT).until(() -> deliveredSeqs.pendingCount() == 0);

                deliver(alice, conversation, 3);
                assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(3);
                long pushed = System.nanoTime();
                client.ping();
                assertThat(client.next("message", WAIT).path("message").path("seq").asLong())
                        .as("re-send of the unacked 3 while DynamoDB hangs").isEqualTo(3);
                Duration resentAfter = Duration.ofNanos(System.nanoTime() - pushed);
                assertThat(resentAfter)
                        .as("re-sent after ack.timeout (1 s), not at once").isGreaterThanOrEqualTo(Duration.ofMillis(900));
                System.out.printf("StoreStallTest: re-send %d ms after the push, DynamoDB hung%n", resentAfter.toMillis());
                client.ack(conversation, 3);
                client.untilPong(WAIT);
                assertThat(deliveredSeqs.pendingCount()).as("the raise to 3 waits beside the hung write").isEqualTo(1);

                // More members than the writer may hold: the overflow is dropped and counted, not queued.
                double droppedBefore = dropped();
                int others = FaultProfile.MAX_PENDING_WRITES + 12;
                for (int i = 0; i < others; i++) {
                    deliveredSeqs.raise(unique("elsewhere"), alice, 1);
                }
                assertThat(deliveredSeqs.pendingCount()).isEqualTo(FaultProfile.MAX_PENDING_WRITES);
                assertThat(dropped() - droppedBefore).isEqualTo(others - (FaultProfile.MAX_PENDING_WRITES - 1));

                client.ping();
                assertThat(silent.awaitClose(SILENCE_CLOSE.plus(WAIT)))
                        .as("the silent connection closed while DynamoDB hangs").isEqualTo(CloseCodes.IDLE);
                Duration closedAfter = Duration.ofNanos(System.nanoTime() - silentSince);
                System.out.printf("StoreStallTest: silent connection closed %d ms after its hello, DynamoDB hung%n",
                        closedAfter.toMillis());
                assertThat(closedAfter)
                        .as("closed after its silence (counted from before its hello), not before")
                        .isGreaterThanOrEqualTo(SILENCE_CLOSE.minusSeconds(1));
                assertThat(client.untilPong(WAIT)).allSatisfy(frame ->
                        assertThat(frame.path("message").path("seq").asLong()).isEqualTo(3));
            } finally {
                dynamoDb.thaw();
            }
            long thawed = System.nanoTime();
            await("deliveredSeq 3 once DynamoDB answers").atMost(Duration.ofSeconds(60)).until(
                    () -> Fixtures.deliveredSeq(conversation, alice) == 3);
            System.out.printf("StoreStallTest: latest watermark written %d ms after DynamoDB answered again%n",
                    Duration.ofNanos(System.nanoTime() - thawed).toMillis());
            await("nothing left to write").atMost(WAIT).until(() -> deliveredSeqs.pendingCount() == 0);
        }
    }

    private double dropped() {
        return registry.get("relay.edge.watermark.writes.dropped").counter().count();
    }

    private void deliver(String userId, String conversationId, long seq) {
        router.route(new EdgeCommand.Deliver(List.of(userId), message(conversationId, seq)));
    }

    private StreamClient connect(String user, String device) {
        StreamClient client = StreamClient.connect(url.getPort(), LocalStack.shared().tokens().forUser(user), device);
        client.next("hello", WAIT);
        return client;
    }
}
