package dev.relay.fanout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.names.Topics;
import dev.relay.localstack.LocalStack;
import dev.relay.platform.dynamo.ConversationStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What fanout cannot route goes to the dead-letter topic without blocking its partition, and comes back by replay. */
@QuarkusTest
class DeadLetterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPLAY = "/v1/admin/dead-letters/replay";

    @Inject
    ConversationStore conversations;
    @Inject
    MeterRegistry meters;

    private final LocalStack stack = LocalStack.shared();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final RoutingRig rig = new RoutingRig();

    @Test
    void poisonRecordsAreDeadLetteredWithTheirFailureInHeadersWhileLaterRecordsFlow() {
        String jack = "jack-" + run;
        String conversation = conversations.create(jack, "poison", List.of()).conversationId();
        String node = "node-p-" + run;
        rig.presence().online(jack, "phone", node);
        EdgeListener edges = rig.listen(RedisKeys.nodeChannel(node));
        double poisonBefore = meters.counter("relay.fanout.dead.letters", "reason", "poison").count();

        int partition = rig.producer().send(EnvelopeProducer.message(conversation, 1, jack)).partition();
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        RecordMetadata unparsable = rig.producer().raw(Topics.MESSAGES, partition, "garbage-" + run, garbage);
        byte[] future = ("{\"version\":99,\"message\":{\"conversationId\":\"" + conversation + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        RecordMetadata unknownVersion = rig.producer().raw(Topics.MESSAGES, partition, conversation, future);
        rig.producer().send(EnvelopeProducer.message(conversation, 2, jack));

        edges.await("seq 2 behind the poison", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(node), conversation).contains(2L));
        assertThat(edges.seqs(RedisKeys.nodeChannel(node), conversation)).containsExactly(1L, 2L);
        List<ConsumerRecord<String, byte[]>> letters = rig.deadLetters().await(2, r ->
                r.key() != null && (r.key().equals("garbage-" + run) || r.key().equals(conversation)), WAIT);

        // Dead letters keep their record's key, so the two may sit on different dead-letter partitions:
        // find each by key, not by position.
        ConsumerRecord<String, byte[]> first = letters.stream().filter(r -> r.key().equals("garbage-" + run))
                .findFirst().orElseThrow();
        assertThat(first.value()).isEqualTo(garbage);
        assertThat(DeadLetterReader.header(first, Topics.HEADER_DLQ_REASON)).startsWith("poison: unparsable JSON");
        assertThat(DeadLetterReader.header(first, Topics.HEADER_DLQ_TOPIC)).isEqualTo(Topics.MESSAGES);
        assertThat(DeadLetterReader.header(first, Topics.HEADER_DLQ_PARTITION)).isEqualTo(Integer.toString(partition));
        assertThat(DeadLetterReader.header(first, Topics.HEADER_DLQ_OFFSET)).isEqualTo(Long.toString(unparsable.offset()));
        assertThat(DeadLetterReader.header(first, Topics.HEADER_DLQ_ATTEMPTS)).isEqualTo("1");
        ConsumerRecord<String, byte[]> second = letters.stream().filter(r -> r.key().equals(conversation))
                .findFirst().orElseThrow();
        assertThat(second.value()).isEqualTo(future);
        assertThat(DeadLetterReader.header(second, Topics.HEADER_DLQ_REASON)).isEqualTo("poison: unknown envelope version 99");
        assertThat(DeadLetterReader.header(second, Topics.HEADER_DLQ_OFFSET)).isEqualTo(Long.toString(unknownVersion.offset()));
        assertThat(meters.counter("relay.fanout.dead.letters", "reason", "poison").count()).isGreaterThanOrEqualTo(poisonBefore + 2);
    }

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredAfterBoundedAttemptsAndReplayDeliversItOnceAfterTheFix() {
        String kate = "kate-" + run, leo = "leo-" + run;
        String broken = conversations.create(kate, "broken", List.of(leo)).conversationId();
        String healthy = conversations.create(kate, "healthy", List.of()).conversationId();
        String node = "node-q-" + run;
        rig.presence().online(kate, "phone", node);
        rig.presence().wrongType(leo);
        EdgeListener edges = rig.listen(RedisKeys.nodeChannel(node));

        RecordMetadata failing = rig.producer().send(EnvelopeProducer.message(broken, 1, kate));
        // A later record of another conversation on the same partition must not wait behind it for ever.
        rig.producer().raw(Topics.MESSAGES, failing.partition(), healthy,
                rig.producer().bytes(dev.relay.contract.wire.MessageEnvelope.of(EnvelopeProducer.message(healthy, 1, kate))));

        ConsumerRecord<String, byte[]> letter = rig.deadLetters().await(1, r -> broken.equals(r.key()), WAIT).get(0);
        assertThat(DeadLetterReader.header(letter, Topics.HEADER_DLQ_REASON))
                .startsWith("exhausted: RedisCallException").contains("WRONGTYPE");
        assertThat(DeadLetterReader.header(letter, Topics.HEADER_DLQ_ATTEMPTS)).isEqualTo("5");
        assertThat(DeadLetterReader.header(letter, Topics.HEADER_DLQ_OFFSET)).isEqualTo(Long.toString(failing.offset()));
        edges.await("the healthy conversation behind the failing one", WAIT,
                r -> edges.seqs(RedisKeys.nodeChannel(node), healthy).contains(1L));
        assertThat(edges.seqs(RedisKeys.nodeChannel(node), broken)).isEmpty();

        // The fix: leo's presence is a proper hash again. Then an operator replays.
        rig.presence().forget(leo);
        rig.presence().online(leo, "phone", node);
        given().auth().oauth2(admin()).when().post(REPLAY).then().statusCode(200)
                .body("replayed", greaterThanOrEqualTo(1)).body("remaining", equalTo(0));
        edges.await("the replayed message", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(node), broken).contains(1L));
        assertThat(edges.of(broken)).singleElement()
                .satisfies(r -> assertThat(r.deliver().recipients()).containsExactly(kate, leo));

        // A second replay starts where the first stopped: seq 1 is not published again before seq 2.
        given().auth().oauth2(admin()).when().post(REPLAY).then().statusCode(200).body("remaining", equalTo(0));
        rig.producer().send(EnvelopeProducer.message(broken, 2, kate));
        edges.await("seq 2", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(node), broken).contains(2L));
        assertThat(edges.seqs(RedisKeys.nodeChannel(node), broken)).containsExactly(1L, 2L);
    }

    @Test
    void replayIsOnlyForAdmins() {
        given().when().post(REPLAY).then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        given().auth().oauth2(stack.tokens().forUser("mallory-" + run)).when().post(REPLAY).then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(admin()).queryParam("limit", 0).when().post(REPLAY).then()
                .statusCode(400).contentType("application/problem+json");
    }

    private String admin() {
        return stack.tokens().forUserInGroups("operator-" + run, Set.of("relay-admin"));
    }
}
