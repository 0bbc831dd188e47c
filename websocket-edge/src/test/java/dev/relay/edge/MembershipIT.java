package dev.relay.edge;

import static dev.relay.edge.Fixtures.message;
import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.wire.RelayJson;
import dev.relay.localstack.LocalStack;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Membership changes on two edge nodes (processes from the packaged jar): alice on node A, bob on
 * node B. After ingest's announcement (what it publishes before its 204) bob gets nothing more of
 * the conversation, even from a fanout still routing by the old member list, and both get the
 * {@code membership} frame within 1 s; added again, bob gets its pushes again. At 2 members
 * (routed per node) and at 1,001 (the conversation channel).
 */
class MembershipIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration LIVE_PATH = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofMillis(1500);

    private static PresenceProbe redis;

    @BeforeAll
    static void stack() {
        LocalStack.shared();
        redis = new PresenceProbe();
    }

    @AfterAll
    static void closeProbe() {
        redis.close();
    }

    @Test
    void aMembershipChangeTakesEffectOnBothNodesWithinASecondAtTwoAndAt1001Members() {
        String nodeA = unique("edge-a");
        String nodeB = unique("edge-b");
        try (EdgeNodeProcess a = EdgeNodeProcess.start(nodeA); EdgeNodeProcess b = EdgeNodeProcess.start(nodeB)) {
            a.awaitReady();
            b.awaitReady();
            // The first change a freshly started node handles loads its code paths: not timed.
            removalAndReAdd(a, b, 2, false);
            for (int members : new int[] {2, 1001}) {
                removalAndReAdd(a, b, members, true);
            }
        }
    }

    private void removalAndReAdd(EdgeNodeProcess a, EdgeNodeProcess b, int members, boolean timed) {
        Duration bound = timed ? LIVE_PATH : WAIT;
        boolean large = members > 1000;
        String alice = unique("alice"), bob = unique("bob");
        String conversation = unique(large ? "big" : "small");
        Fixtures.putConversation(conversation, members);
        Fixtures.putMember(conversation, alice);
        Fixtures.putMember(conversation, bob);
        try (StreamClient onA = connect(a, alice); StreamClient onB = connect(b, bob)) {
            String channel = RedisKeys.conversationChannel(conversation);
            if (large) {
                await("both nodes on " + channel).atMost(WAIT).until(() -> redis.subscribers(channel) == 2);
            }
            push(a, b, conversation, List.of(alice, bob), 1, large);
            onA.next("message", WAIT);
            onB.next("message", WAIT);
            onA.ack(conversation, 1);
            onB.ack(conversation, 1);

            Fixtures.deleteMember(conversation, bob);
            Fixtures.putConversation(conversation, members - 1);
            long announced = System.nanoTime();
            redis.publish(RedisKeys.MEMBERSHIP_CHANGES, Fixtures.membershipEvent(conversation, bob, "removed"));
            assertMembership(onB.next("membership", WAIT), conversation, bob, "removed");
            assertMembership(onA.next("membership", WAIT), conversation, bob, "removed");
            assertThat(Duration.ofNanos(System.nanoTime() - announced)).as("membership frames at %d members", members)
                    .isLessThan(bound);

            // A fanout that read the member list before the removal still names bob.
            push(a, b, conversation, List.of(alice, bob), 2, large);
            assertThat(onA.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(2);
            onB.ping();
            onB.assertSilentFor(QUIET);

            Fixtures.putMember(conversation, bob);
            Fixtures.putConversation(conversation, members);
            announced = System.nanoTime();
            redis.publish(RedisKeys.MEMBERSHIP_CHANGES, Fixtures.membershipEvent(conversation, bob, "added"));
            assertMembership(onB.next("membership", WAIT), conversation, bob, "added");
            assertMembership(onA.next("membership", WAIT), conversation, bob, "added");
            assertThat(Duration.ofNanos(System.nanoTime() - announced)).as("added frames at %d members", members)
                    .isLessThan(bound);
            push(a, b, conversation, List.of(alice, bob), 3, large);
            assertThat(onB.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(3);
            assertThat(onA.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(3);
        }
    }

    /** What fanout publishes: once on the channel of a large conversation, else once per node naming its users. */
    private static void push(EdgeNodeProcess a, EdgeNodeProcess b, String conversation, List<String> recipients,
                             long seq, boolean large) {
        var frame = message(conversation, seq);
        if (large) {
            redis.publish(RedisKeys.conversationChannel(conversation), write(new EdgeCommand.Deliver(null, frame)));
        } else {
            redis.publish(RedisKeys.nodeChannel(a.id()), write(new EdgeCommand.Deliver(List.of(recipients.get(0)), frame)));
            redis.publish(RedisKeys.nodeChannel(b.id()), write(new EdgeCommand.Deliver(List.of(recipients.get(1)), frame)));
        }
    }

    private static String write(EdgeCommand command) {
        try {
            return RelayJson.newMapper().writerFor(EdgeCommand.class).writeValueAsString(command);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertMembership(JsonNode frame, String conversation, String user, String change) {
        assertThat(frame.path("conversationId").asText()).isEqualTo(conversation);
        assertThat(frame.path("userId").asText()).isEqualTo(user);
        assertThat(frame.path("change").asText()).isEqualTo(change);
    }

    private static StreamClient connect(EdgeNodeProcess node, String user) {
        StreamClient client = StreamClient.connect(node.port(), LocalStack.shared().tokens().forUser(user), null);
        client.next("hello", WAIT);
        return client;
    }
}
