package dev.relay.edge;

import static dev.relay.edge.Fixtures.message;
import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.names.RedisKeys;
import dev.relay.edge.delivery.DeliveryRouter;
import dev.relay.edge.delivery.FrameJson;
import dev.relay.edge.membership.MembershipRegistry;
import dev.relay.localstack.LocalStack;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Membership changes on the live path of one node: what ingest stores and announces, then what a
 * fanout that may still hold the old member list routes. (Two nodes: {@code MembershipIT}.)
 */
@QuarkusTest
class MembershipTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Longer than the test profile's ack timeout (1 s) plus a tick: a re-send would have come. */
    private static final Duration QUIET = Duration.ofMillis(2500);

    @TestHTTPResource("/")
    URL url;

    @Inject
    DeliveryRouter router;

    @Inject
    RedisDataSource redis;

    @Inject
    FrameJson json;

    @Inject
    MembershipRegistry membership;

    @Test
    void aRemovedMemberOfASmallConversationGetsNothingMoreOfItNotEvenResends() {
        String alice = unique("alice"), bob = unique("bob");
        String conversation = unique("c");
        Fixtures.putConversation(conversation, 2);
        Fixtures.putMember(conversation, alice);
        Fixtures.putMember(conversation, bob);
        try (StreamClient a = connect(alice); StreamClient b = connect(bob)) {
            router.route(new EdgeCommand.Deliver(List.of(alice, bob), message(conversation, 1)));
            a.next("message", WAIT);
            b.next("message", WAIT);
            a.ack(conversation, 1);

            remove(conversation, bob, 1);
            assertMembership(a.next("membership", WAIT), conversation, bob, "removed");
            assertMembership(b.next("membership", WAIT), conversation, bob, "removed");
            // A fanout that cached the member list before the removal still names bob.
            router.route(new EdgeCommand.Deliver(List.of(alice, bob), message(conversation, 2)));
            assertThat(a.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(2);
            b.ping();
            b.assertSilentFor(QUIET);
        }
    }

    @Test
    void aRemovedMemberOfALargeConversationGetsNothingMoreFromItsChannel() {
        String alice = unique("alice"), bob = unique("bob");
        String conversation = unique("big");
        Fixtures.putConversation(conversation, 1001);
        Fixtures.putMember(conversation, alice);
        Fixtures.putMember(conversation, bob);
        try (StreamClient a = connect(alice); StreamClient b = connect(bob)) {
            String channel = RedisKeys.conversationChannel(conversation);
            await("subscribed to " + channel).atMost(WAIT).until(() -> subscribers(channel) == 1);
            // Each connection's conversations are read after its hello: a push before that read is
            // covered by the client's sync on connect, so this test first waits for both reads.
            await("both members known here").atMost(WAIT).until(() -> membership.localConnections(conversation).size() == 2);
            broadcast(conversation, 1);
            a.next("message", WAIT);
            b.next("message", WAIT);

            remove(conversation, bob, 1000);
            assertMembership(a.next("membership", WAIT), conversation, bob, "removed");
            assertMembership(b.next("membership", WAIT), conversation, bob, "removed");
            broadcast(conversation, 2);
            assertThat(a.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(2);
            b.ping();
            b.assertSilentFor(QUIET);
        }
    }

    @Test
    void aConversationGrowingPastTheLargeSizeStillReachesItsConnectedMembers() {
        String alice = unique("alice"), carol = unique("carol");
        String conversation = unique("growing");
        Fixtures.putConversation(conversation, 1000);
        Fixtures.putMember(conversation, alice);
        try (StreamClient a = connect(alice)) {
            add(conversation, carol, 1001);
            assertMembership(a.next("membership", WAIT), conversation, carol, "added");
            // fanout now publishes on the conversation channel only.
            broadcast(conversation, 1);
            assertThat(a.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aMemberAddedWhileConnectedGetsTheLargeConversationsPushes() {
        String alice = unique("alice"), dave = unique("dave");
        String conversation = unique("big");
        Fixtures.putConversation(conversation, 1500);
        Fixtures.putMember(conversation, alice);
        try (StreamClient a = connect(alice); StreamClient d = connect(dave)) {
            add(conversation, dave, 1501);
            assertMembership(a.next("membership", WAIT), conversation, dave, "added");
            assertMembership(d.next("membership", WAIT), conversation, dave, "added");
            broadcast(conversation, 1);
            assertThat(d.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(1);
            assertThat(a.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aRemovedMemberAddedAgainGetsPushesAgain() {
        String alice = unique("alice"), bob = unique("bob");
        String conversation = unique("c");
        Fixtures.putConversation(conversation, 2);
        Fixtures.putMember(conversation, alice);
        Fixtures.putMember(conversation, bob);
        try (StreamClient b = connect(bob)) {
            remove(conversation, bob, 1);
            b.next("membership", WAIT);
            add(conversation, bob, 2);
            assertMembership(b.next("membership", WAIT), conversation, bob, "added");
            router.route(new EdgeCommand.Deliver(List.of(alice, bob), message(conversation, 5)));
            assertThat(b.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(5);
        }
    }

    @Test
    void aConversationShrinkingBelowTheLargeSizeLeavesItsChannel() {
        String alice = unique("alice"), bob = unique("bob");
        String conversation = unique("shrinking");
        Fixtures.putConversation(conversation, 1000);
        Fixtures.putMember(conversation, alice);
        try (StreamClient a = connect(alice)) {
            String channel = RedisKeys.conversationChannel(conversation);
            await("subscribed to " + channel).atMost(WAIT).until(() -> subscribers(channel) == 1);
            remove(conversation, bob, 999);
            a.next("membership", WAIT);
            await("unsubscribed from " + channel).atMost(WAIT).until(() -> subscribers(channel) == 0);
        }
    }

    private void remove(String conversation, String user, int membersAfter) {
        Fixtures.deleteMember(conversation, user);
        Fixtures.putConversation(conversation, membersAfter);
        announce(conversation, user, "removed");
    }

    private void add(String conversation, String user, int membersAfter) {
        Fixtures.putMember(conversation, user);
        Fixtures.putConversation(conversation, membersAfter);
        announce(conversation, user, "added");
    }

    /** Announces as ingest-fn does, once the edge listens (it resubscribes after an earlier test's Redis restart). */
    private void announce(String conversation, String user, String change) {
        await("the edge subscribed to membership announcements").atMost(WAIT)
                .until(() -> subscribers(RedisKeys.MEMBERSHIP_CHANGES) >= 1);
        redis.pubsub(String.class).publish(RedisKeys.MEMBERSHIP_CHANGES, Fixtures.membershipEvent(conversation, user, change));
    }

    private void broadcast(String conversation, long seq) {
        redis.pubsub(String.class).publish(RedisKeys.conversationChannel(conversation),
                json.write(new EdgeCommand.Deliver(null, message(conversation, seq))));
    }

    private static void assertMembership(JsonNode frame, String conversation, String user, String change) {
        assertThat(frame.path("conversationId").asText()).isEqualTo(conversation);
        assertThat(frame.path("userId").asText()).isEqualTo(user);
        assertThat(frame.path("change").asText()).isEqualTo(change);
    }

    private long subscribers(String channel) {
        return redis.execute("PUBSUB", "NUMSUB", channel).get(1).toLong();
    }

    private StreamClient connect(String user) {
        StreamClient client = StreamClient.connect(url.getPort(), LocalStack.shared().tokens().forUser(user), null);
        client.next("hello", WAIT);
        return client;
    }
}
