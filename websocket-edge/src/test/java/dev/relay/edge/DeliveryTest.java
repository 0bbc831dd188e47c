package dev.relay.edge;

import static dev.relay.edge.Fixtures.message;
import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.RedisKeys;
import dev.relay.edge.config.NodeIdentity;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.DeliveryRouter;
import dev.relay.edge.delivery.FrameJson;
import dev.relay.localstack.LocalStack;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delivery, acks, re-sends and gaps, through the node's Redis channel and the in-process router. */
@QuarkusTest
class DeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL url;

    @Inject
    DeliveryRouter router;

    @Inject
    RedisDataSource redis;

    @Inject
    NodeIdentity node;

    @Inject
    FrameJson json;

    @Inject
    ConnectionRegistry connections;

    @Test
    void deliveryThroughTheNodeChannelReachesOnlyTheRecipientsSockets() {
        String alice = unique("alice");
        String bob = unique("bob");
        String conversation = unique("c");
        try (StreamClient phone = connect(alice, "phone"); StreamClient laptop = connect(alice, "laptop");
             StreamClient other = connect(bob, "phone")) {
            publish(new EdgeCommand.Deliver(List.of(alice), message(conversation, 1, "for alice")));
            for (StreamClient client : List.of(phone, laptop)) {
                JsonNode pushed = client.next("message", WAIT).path("message");
                assertThat(pushed.path("conversationId").asText()).isEqualTo(conversation);
                assertThat(pushed.path("seq").asLong()).isEqualTo(1);
                assertThat(pushed.path("body").asText()).isEqualTo("for alice");
            }
            publish(new EdgeCommand.Deliver(List.of(bob), new ServerFrame.Receipt(conversation, alice, 1)));
            JsonNode first = other.next(WAIT);
            assertThat(first.path("type").asText()).as("bob's first frame after hello").isEqualTo("receipt");
        }
    }

    @Test
    void unackedMessagesAreResentAndAckedOnesAreNot() {
        String alice = unique("alice");
        String conversation = unique("c");
        try (StreamClient client = connect(alice, null)) {
            for (long seq = 1; seq <= 3; seq++) {
                router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, seq)));
            }
            for (long seq = 1; seq <= 3; seq++) {
                assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(seq);
            }
            client.ack(conversation, 2);
            // Until the edge has handled the ack, a re-send of any of the three may be on its way.
            assertThat(seqsOf(client.untilPong(WAIT))).allSatisfy(seq -> assertThat(seq).isBetween(1L, 3L));
            JsonNode resent = client.next("message", WAIT);
            assertThat(resent.path("message").path("seq").asLong()).as("re-sent after the ack of 2").isEqualTo(3);
            client.ack(conversation, 3);
            assertThat(seqsOf(client.untilPong(WAIT))).allSatisfy(seq -> assertThat(seq).isEqualTo(3L));
            client.assertSilentFor(Duration.ofMillis(2500));
        }
    }

    @Test
    void acksOfTheUsersOwnMessagesDoNotWriteDeliveredSeqAgain() {
        String alice = unique("alice");
        String conversation = unique("c");
        Fixtures.putMember(conversation, alice);
        try (StreamClient client = connect(alice, null)) {
            for (long seq = 1; seq <= 2; seq++) {
                router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, seq, "mine " + seq, alice)));
                client.next("message", WAIT);
            }
            // Her own sends' append set her deliveredSeq; this test's member item shows no write happens.
            client.ack(conversation, 2);
            // Re-sends that crossed the ack may come first; after the pong the ack has been handled.
            client.untilPong(WAIT);
            await("no deliveredSeq write for a second").during(Duration.ofSeconds(1)).atMost(WAIT)
                    .until(() -> Fixtures.deliveredSeq(conversation, alice) == 0);
            router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, 3)));
            client.next("message", WAIT);
            client.ack(conversation, 3);
            await("deliveredSeq 3").atMost(WAIT).until(() -> Fixtures.deliveredSeq(conversation, alice) == 3);
        }
    }

    @Test
    void anAckForAConversationNothingWasPushedOnLeavesNoTrace() {
        String alice = unique("alice");
        String conversation = unique("c");
        try (StreamClient client = connect(alice, null)) {
            for (int i = 0; i < 200; i++) {
                client.ack(unique("made-up"), 1_000_000);
            }
            client.ack(conversation, 5);
            router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, 1)));
            assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(1);
            assertThat(connections.ofUser(alice)).singleElement()
                    .satisfies(connection -> assertThat(connection.conversationsTracked()).isEqualTo(1));
        }
    }

    @Test
    void resendsAreBoundedThenTheClientIsToldToResync() {
        String alice = unique("alice");
        String conversation = unique("c");
        try (StreamClient client = connect(alice, null)) {
            router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, 1)));
            client.next("message", WAIT);
            for (int resend = 0; resend < 3; resend++) {
                client.ping();
                assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(1);
            }
            client.ping();
            JsonNode resync = client.next("resync", WAIT);
            assertThat(resync.path("conversationId").asText()).isEqualTo(conversation);
            assertThat(resync.path("reason").asText()).isEqualTo("unacked");
            client.ping();
            client.assertSilentFor(Duration.ofMillis(1500));
        }
    }

    @Test
    void ackRaisesDeliveredSeqToTheHighestAckAndNeverLowersIt() {
        String alice = unique("alice");
        String conversation = unique("c");
        Fixtures.putMember(conversation, alice);
        try (StreamClient client = connect(alice, null)) {
            for (long seq = 1; seq <= 5; seq++) {
                router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, seq)));
                client.next("message", WAIT);
            }
            client.ack(conversation, 2);
            client.ack(conversation, 4);
            await("deliveredSeq 4").atMost(WAIT).until(() -> Fixtures.deliveredSeq(conversation, alice) == 4);
            client.ack(conversation, 3);
            // Re-sends that crossed the ack may come first; after the pong the ack has been handled.
            client.untilPong(WAIT);
            await("deliveredSeq stays 4 after the lower ack").during(Duration.ofMillis(500)).atMost(WAIT)
                    .until(() -> Fixtures.deliveredSeq(conversation, alice) == 4);
            client.ack(conversation, 5);
            await("deliveredSeq 5").atMost(WAIT).until(() -> Fixtures.deliveredSeq(conversation, alice) == 5);
        }
    }

    @Test
    void aSeqGapIsHeldBrieflyThenTheClientIsToldToResync() {
        String alice = unique("alice");
        String conversation = unique("c");
        try (StreamClient client = connect(alice, null)) {
            router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, 1)));
            assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(1);
            Instant held = Instant.now();
            router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, 3)));
            JsonNode resync = client.next("resync", WAIT);
            assertThat(Duration.between(held, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(resync.path("conversationId").asText()).isEqualTo(conversation);
            assertThat(resync.path("reason").asText()).isEqualTo("gap");
            assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aLateSeqWithinTheHoldIsPushedInOrder() {
        String alice = unique("alice");
        String conversation = unique("c");
        try (StreamClient client = connect(alice, null)) {
            for (long seq : new long[] {1, 3, 4, 2}) {
                router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, seq)));
            }
            for (long seq = 1; seq <= 4; seq++) {
                assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(seq);
            }
            client.ack(conversation, 4);
            assertThat(seqsOf(client.untilPong(WAIT))).as("re-sends that crossed the ack")
                    .allSatisfy(seq -> assertThat(seq).isBetween(1L, 4L));
            client.assertSilentFor(Duration.ofMillis(1500));
        }
    }

    @Test
    void signalsAndReceiptsArePushedOnceAndNeverResent() {
        String alice = unique("alice");
        String conversation = unique("c");
        try (StreamClient client = connect(alice, null)) {
            router.route(new EdgeCommand.Deliver(List.of(alice), new ServerFrame.Signal(conversation, "bob", "typing",
                    null, Instant.now())));
            router.route(new EdgeCommand.Deliver(List.of(alice), new ServerFrame.Receipt(conversation, "bob", 7)));
            JsonNode signal = client.next("signal", WAIT);
            assertThat(signal.path("senderId").asText()).isEqualTo("bob");
            assertThat(signal.path("body").asText()).isEqualTo("typing");
            assertThat(client.next("receipt", WAIT).path("readSeq").asLong()).isEqualTo(7);
            client.ping();
            client.assertSilentFor(Duration.ofMillis(2500));
        }
    }

    @Test
    void largeConversationChannelReachesLocalMembersOnly() {
        String member = unique("member");
        String outsider = unique("outsider");
        String conversation = unique("big");
        Fixtures.putConversation(conversation, 1500);
        Fixtures.putMember(conversation, member);
        try (StreamClient inside = connect(member, null); StreamClient outside = connect(outsider, null)) {
            String channel = RedisKeys.conversationChannel(conversation);
            await("subscribed to " + channel).atMost(WAIT).until(() -> subscribers(channel) == 1);
            redis.pubsub(String.class).publish(channel,
                    json.write(new EdgeCommand.Deliver(null, message(conversation, 1, "to everyone"))));
            assertThat(inside.next("message", WAIT).path("message").path("body").asText()).isEqualTo("to everyone");
            outside.ping();
            assertThat(outside.next(WAIT).path("type").asText()).isEqualTo("pong");
        }
        await("unsubscribed once the member left").atMost(WAIT).until(
                () -> subscribers(RedisKeys.conversationChannel(conversation)) == 0);
    }

    private long subscribers(String channel) {
        var reply = redis.execute("PUBSUB", "NUMSUB", channel);
        return reply.get(1).toLong();
    }

    private void publish(EdgeCommand command) {
        redis.pubsub(String.class).publish(RedisKeys.nodeChannel(node.id()), json.write(command));
    }

    private StreamClient connect(String user, String device) {
        StreamClient client = StreamClient.connect(url.getPort(), LocalStack.shared().tokens().forUser(user), device);
        client.next("hello", WAIT);
        return client;
    }

    /** The seqs of message frames; any other frame fails the test. */
    private static List<Long> seqsOf(List<JsonNode> frames) {
        assertThat(frames).allSatisfy(frame -> assertThat(frame.path("type").asText()).isEqualTo("message"));
        return frames.stream().map(frame -> frame.path("message").path("seq").asLong()).toList();
    }
}
