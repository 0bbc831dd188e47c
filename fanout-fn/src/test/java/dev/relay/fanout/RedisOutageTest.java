package dev.relay.fanout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.names.Topics;
import dev.relay.localstack.LocalStack;
import dev.relay.platform.dynamo.ConversationStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An outage of Redis is not a poison record: while the real redis-server is stopped, fanout keeps the
 * records (no dead letter), reports readiness DOWN naming the pause, and routes every record by
 * itself once Redis is back. The outage lasts {@code relay.test.redis-outage} (ISO-8601, default
 * PT30S, the figure), measured from the moment readiness reports the pause.
 */
@QuarkusTest
class RedisOutageTest {

    private static final Duration OUTAGE = Duration.parse(System.getProperty("relay.test.redis-outage", "PT30S"));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int DURING = 20;

    @Inject
    ConversationStore conversations;
    @Inject
    MeterRegistry meters;

    private final LocalStack stack = LocalStack.shared();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final RoutingRig rig = new RoutingRig();

    @AfterEach
    void restartRedis() {
        if (!stack.redis().running()) {
            stack.restart(stack.redis());
        }
    }

    @Test
    void aRedisOutageDeadLettersNothingAndEveryRecordIsRoutedByItselfOnceRedisIsBack() {
        String mia = "mia-" + run;
        String conversation = conversations.create(mia, "outage", List.of()).conversationId();
        String node = "node-o-" + run;
        rig.presence().online(mia, "phone", node);
        EdgeListener edges = rig.listen(RedisKeys.nodeChannel(node));
        rig.producer().send(EnvelopeProducer.message(conversation, 1, mia));
        edges.await("seq 1 before the outage", WAIT, r -> edges.seqs(RedisKeys.nodeChannel(node), conversation).contains(1L));
        rig.closeRedisClients();
        double routedBefore = routed();
        double deadBefore = deadLetters();

        stack.redis().stop();
        for (long seq = 2; seq < 2 + DURING; seq++) {
            rig.producer().send(EnvelopeProducer.message(conversation, seq, mia));
        }
        await("readiness DOWN with routing paused on redis (or a dead letter)").atMost(WAIT)
                .until(() -> pausedSince() != null || deadLetters() > deadBefore);
        assertThat(deadLetters()).as("dead letters while Redis is down").isEqualTo(deadBefore);
        Instant pausedAt = pausedSince();
        await("an outage of " + OUTAGE + " (readiness still DOWN)").atMost(OUTAGE.plus(WAIT))
                .until(() -> deadLetters() > deadBefore
                        || pausedSince() != null && Duration.between(pausedAt, Instant.now()).compareTo(OUTAGE) >= 0);
        assertThat(deadLetters()).as("dead letters during the outage").isEqualTo(deadBefore);
        assertThat(routed()).as("nothing routed while Redis is down").isEqualTo(routedBefore);

        stack.restart(stack.redis());
        await("every record of the outage routed, without a replay").atMost(WAIT).until(() -> routed() >= routedBefore + DURING);
        await("readiness UP again").atMost(WAIT).until(() -> given().when().get("/q/health/ready").statusCode() == 200);
        assertThat(deadLetters()).as("dead letters after the outage").isEqualTo(deadBefore);

        // The stream goes on: a new edge registration gets the next message.
        rig.presence().online(mia, "phone", node);
        EdgeListener after = rig.listen(RedisKeys.nodeChannel(node));
        rig.producer().send(EnvelopeProducer.message(conversation, 2 + DURING, mia));
        after.await("the first message after the outage", WAIT,
                r -> after.seqs(RedisKeys.nodeChannel(node), conversation).contains(2L + DURING));
        assertThat(deadLetters()).isEqualTo(deadBefore);
    }

    /** When fanout's routing check says it has been paused on Redis since, or null while it is not paused. */
    private static Instant pausedSince() {
        Response ready = given().when().get("/q/health/ready");
        if (ready.statusCode() != 503) {
            return null;
        }
        JsonPath body = ready.jsonPath();
        String since = body.getString("checks.find { it.name == 'fanout-routing' && it.status == 'DOWN' }.data.redis");
        return since == null ? null : Instant.parse(since);
    }

    private double routed() {
        return meters.counter("relay.fanout.records", "topic", Topics.MESSAGES, "outcome", "routed").count();
    }

    private double deadLetters() {
        return meters.counter("relay.fanout.records", "topic", Topics.MESSAGES, "outcome", "dead-lettered").count();
    }
}
