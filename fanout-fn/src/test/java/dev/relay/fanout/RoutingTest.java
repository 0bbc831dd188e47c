package dev.relay.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.RedisKeys;
import dev.relay.platform.dynamo.ConversationStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stored messages from Kafka reach exactly the edge nodes holding online members, once per node, in order. */
@QuarkusTest
class RoutingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ConversationStore conversations;
    @Inject
    MeterRegistry meters;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final RoutingRig rig = new RoutingRig();

    @Test
    void eachNodeGetsOneDeliverNamingOnlyItsOnlineMembers() {
        String alice = user("alice"), bob = user("bob"), carol = user("carol"), dave = user("dave"), erin = user("erin");
        String conversation = conversations.create(alice, "routing", List.of(bob, carol, dave, erin)).conversationId();
        String nodeA = node("a"), nodeB = node("b"), nodeDead = node("dead"), nodeIdle = node("idle");
        rig.presence().online(alice, "phone", nodeA);
        rig.presence().online(bob, "phone", nodeA);
        rig.presence().online(bob, "laptop", nodeB);
        rig.presence().expired(dave, "phone", nodeDead);
        rig.presence().entry(erin, "phone", "garbage");
        rig.presence().entry(erin, "tablet", nodeDead + "|conn|not-a-number|1");
        // carol has no presence at all.
        EdgeListener edges = rig.listen(RedisKeys.nodeChannel(nodeA), RedisKeys.nodeChannel(nodeB),
                RedisKeys.nodeChannel(nodeDead), RedisKeys.nodeChannel(nodeIdle));

        rig.producer().send(EnvelopeProducer.message(conversation, 1, alice));
        rig.producer().send(EnvelopeProducer.message(conversation, 2, alice));
        edges.await("seq 2 on both nodes", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(nodeA), conversation).contains(2L)
                && edges.seqs(RedisKeys.nodeChannel(nodeB), conversation).contains(2L));

        List<EdgeListener.Received> onA = edges.on(RedisKeys.nodeChannel(nodeA));
        assertThat(onA).extracting(EdgeListener.Received::seq).containsExactly(1L, 2L);
        assertThat(onA).allSatisfy(r -> assertThat(r.deliver().recipients()).containsExactly(alice, bob));
        List<EdgeListener.Received> onB = edges.on(RedisKeys.nodeChannel(nodeB));
        assertThat(onB).extracting(EdgeListener.Received::seq).containsExactly(1L, 2L);
        assertThat(onB).allSatisfy(r -> assertThat(r.deliver().recipients()).containsExactly(bob));
        ServerFrame.MessagePush push = (ServerFrame.MessagePush) onA.get(0).deliver().frame();
        assertThat(push.message().conversationId()).isEqualTo(conversation);
        assertThat(push.message().senderId()).isEqualTo(alice);
        assertThat(push.message().body()).isEqualTo("body 1");
        // Redis delivers to one subscriber in publish order: seq 2 arrived, so all of seq 1's publishes are in.
        assertThat(edges.on(RedisKeys.nodeChannel(nodeDead))).isEmpty();
        assertThat(edges.on(RedisKeys.nodeChannel(nodeIdle))).isEmpty();
        assertThat(edges.unreadable()).isEmpty();
    }

    @Test
    void eachConversationArrivesInSeqOrderOnEveryDeviceWhilePartitionsRunInParallel() {
        String frank = user("frank"), gina = user("gina");
        String first = conversations.create(frank, "first", List.of()).conversationId();
        String second = conversations.create(gina, "second", List.of(frank)).conversationId();
        String nodeX = node("x"), nodeY = node("y");
        rig.presence().online(frank, "phone", nodeX);
        rig.presence().online(frank, "laptop", nodeY);
        rig.presence().online(gina, "phone", nodeX);
        EdgeListener edges = rig.listen(RedisKeys.nodeChannel(nodeX), RedisKeys.nodeChannel(nodeY));
        int count = 100;

        for (int seq = 1; seq <= count; seq++) {
            rig.producer().sendAsync(EnvelopeProducer.message(first, seq, frank));
            rig.producer().sendAsync(EnvelopeProducer.message(second, seq, gina));
        }
        rig.producer().flush();

        List<Long> all = LongStream.rangeClosed(1, count).boxed().toList();
        edges.await("every seq of both conversations on both nodes", WAIT, r ->
                edges.seqs(RedisKeys.nodeChannel(nodeX), first).size() == count
                        && edges.seqs(RedisKeys.nodeChannel(nodeY), first).size() == count
                        && edges.seqs(RedisKeys.nodeChannel(nodeX), second).size() == count
                        && edges.seqs(RedisKeys.nodeChannel(nodeY), second).size() == count);
        assertThat(edges.seqs(RedisKeys.nodeChannel(nodeX), first)).isEqualTo(all);
        assertThat(edges.seqs(RedisKeys.nodeChannel(nodeY), first)).isEqualTo(all);
        assertThat(edges.seqs(RedisKeys.nodeChannel(nodeX), second)).isEqualTo(all);
        assertThat(edges.seqs(RedisKeys.nodeChannel(nodeY), second)).isEqualTo(all);
        // Node X holds both users of the second conversation: one Deliver per message names both.
        assertThat(edges.on(RedisKeys.nodeChannel(nodeX))).filteredOn(r -> second.equals(r.conversationId()))
                .allSatisfy(r -> assertThat(r.deliver().recipients()).containsExactlyInAnyOrder(frank, gina));
    }

    @Test
    void aLargeConversationIsPublishedOnceOnItsOwnChannelInsteadOfPerNode() {
        String owner = user("owner");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            others.add(user("m" + i));
        }
        String conversation = conversations.create(owner, "large", others).conversationId();
        String nodeL = node("l");
        rig.presence().online(owner, "phone", nodeL);
        rig.presence().online(others.get(0), "phone", nodeL);
        EdgeListener edges = rig.listen(RedisKeys.conversationChannel(conversation), RedisKeys.nodeChannel(nodeL));

        rig.producer().send(EnvelopeProducer.message(conversation, 1, owner));
        rig.producer().send(EnvelopeProducer.message(conversation, 2, owner));
        edges.await("seq 2 on the conversation channel", WAIT,
                r -> edges.seqs(RedisKeys.conversationChannel(conversation), conversation).contains(2L));

        List<EdgeListener.Received> onChannel = edges.on(RedisKeys.conversationChannel(conversation));
        assertThat(onChannel).extracting(EdgeListener.Received::seq).containsExactly(1L, 2L);
        assertThat(onChannel).allSatisfy(r -> assertThat(r.deliver().recipients()).isNull());
        assertThat(edges.seqs(RedisKeys.nodeChannel(nodeL), conversation)).doesNotContain(1L);
    }

    @Test
    void aMembershipChangeAnnouncedOnRedisReachesTheNextMessage() {
        String hana = user("hana"), ivan = user("ivan");
        String conversation = conversations.create(hana, "growing", List.of()).conversationId();
        String nodeM = node("m"), nodeN = node("n");
        rig.presence().online(hana, "phone", nodeM);
        rig.presence().online(ivan, "phone", nodeN);
        EdgeListener edges = rig.listen(RedisKeys.nodeChannel(nodeM), RedisKeys.nodeChannel(nodeN));
        awaitFanoutListening();
        rig.producer().send(EnvelopeProducer.message(conversation, 1, hana));
        edges.await("seq 1 for hana", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(nodeM), conversation).contains(1L));

        // The member list is now cached (TTL 15 s); ivan joins and ingest announces it.
        assertThat(conversations.addMember(conversation, ivan)).isEqualTo(ConversationStore.MembershipChange.CHANGED);
        double before = invalidations();
        assertThat(rig.presence().announceMembershipChange(conversation)).isGreaterThanOrEqualTo(1);
        await("the announcement to reach fanout").atMost(WAIT).until(() -> invalidations() > before);
        rig.producer().send(EnvelopeProducer.message(conversation, 2, hana));

        edges.await("seq 2 for ivan", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(nodeN), conversation).contains(2L));
        assertThat(edges.seqs(RedisKeys.nodeChannel(nodeN), conversation)).containsExactly(2L);
        assertThat(edges.seqs(RedisKeys.nodeChannel(nodeM), conversation)).containsExactly(1L, 2L);
    }

    @Test
    void aRemovalAnnouncedAsAnEventStopsRoutingToTheRemovedMemberAtOnce() {
        String jana = user("jana"), karl = user("karl");
        String conversation = conversations.create(jana, "shrinking", List.of(karl)).conversationId();
        String nodeJ = node("j"), nodeK = node("k");
        rig.presence().online(jana, "phone", nodeJ);
        rig.presence().online(karl, "phone", nodeK);
        EdgeListener edges = rig.listen(RedisKeys.nodeChannel(nodeJ), RedisKeys.nodeChannel(nodeK));
        awaitFanoutListening();
        rig.producer().send(EnvelopeProducer.message(conversation, 1, jana));
        edges.await("seq 1 for karl", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(nodeK), conversation).contains(1L));

        // The member list is cached (TTL 15 s); karl is removed and ingest announces it before its 204.
        assertThat(conversations.removeMember(conversation, karl)).isEqualTo(ConversationStore.MembershipChange.CHANGED);
        double before = invalidations();
        assertThat(rig.presence().announceMembershipEvent(conversation, karl, "removed")).isGreaterThanOrEqualTo(1);
        await("the announcement to reach fanout").atMost(WAIT).until(() -> invalidations() > before);
        rig.producer().send(EnvelopeProducer.message(conversation, 2, jana));

        edges.await("seq 2 for jana", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(nodeJ), conversation).contains(2L));
        assertThat(edges.seqs(RedisKeys.nodeChannel(nodeK), conversation)).containsExactly(1L);
    }

    /**
     * Fanout caches member lists only while it hears announcements; after a Redis restart (an earlier
     * test's outage) it resubscribes with back-off, so a test of announcements starts once it listens.
     */
    private void awaitFanoutListening() {
        await("fanout subscribed to membership announcements").atMost(WAIT)
                .until(() -> rig.presence().membershipListeners() >= 1);
    }

    private double invalidations() {
        return meters.counter("relay.fanout.membership.invalidations").count();
    }

    private String user(String name) {
        return name + "-" + run;
    }

    private String node(String name) {
        return "node-" + name + "-" + run;
    }
}
