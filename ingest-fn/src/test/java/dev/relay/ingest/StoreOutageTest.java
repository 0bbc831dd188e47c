package dev.relay.ingest;

import static dev.relay.ingest.Api.as;
import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static dev.relay.ingest.Problems.assertRetryable;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Topics;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.wire.Qos;
import dev.relay.ingest.append.AppendOutcome;
import dev.relay.ingest.append.AppendRequest;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.localstack.LocalServer;
import dev.relay.localstack.LocalStack;
import dev.relay.platform.dynamo.TableNames;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Sends while a store is really down (its server process stopped, then started again on the same
 * port). Kafka away: sends are still committed and answered 201 without hanging on the producer, and
 * every committed message is on {@code messages} within 10 s of the broker's return, including one
 * committed by a process that died before publishing; the first send of the outage waits for its ack
 * long enough that the same key meanwhile is 409 {@code request-in-progress}. DynamoDB away: 503
 * {@code unavailable} with {@code Retry-After}, never a 500, and nothing published.
 */
@QuarkusTest
class StoreOutageTest {

    /** API.md: after Kafka restarts every committed message is on the topic within this. */
    private static final Duration BACK_ON_KAFKA = Duration.ofSeconds(10);
    /**
     * No send hangs on the producer: far above the 2 s ack wait (noisy machine), far below what the
     * producer's defaults would allow (60 s max.block, 120 s delivery timeout). That sends do not wait
     * at all is checked by the left-to-repair counter instead of by time.
     */
    private static final Duration NO_HANGING_SEND = Duration.ofSeconds(8);
    private static final int SENDS_DURING_OUTAGE = 12;

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    TableNames tables;

    @Inject
    IngestConfig config;

    /** Later test classes share the stack: whatever a test left stopped is started again. */
    @AfterAll
    static void restartStoppedServers() {
        LocalStack stack = LocalStack.shared();
        for (LocalServer server : stack.servers()) {
            if (!server.running()) {
                stack.restart(server);
            }
        }
    }

    @Test
    void whileKafkaIsDownSendsAreAnswered201AndEveryCommittedMessageIsOnKafkaSoonAfterItIsBack() throws Exception {
        LocalStack stack = LocalStack.shared();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice, bob);
        String orphaned = createConversation(alice);
        Api.send(alice, id, "before the outage").then().statusCode(201);
        // Kafka has acked something since the app started, so it is not yet known to be down.
        assertThat(TopicReader.await(Topics.MESSAGES, id, BACK_ON_KAFKA, values -> !values.isEmpty())).isNotEmpty();
        double leftToRepairBefore = Api.metric("relay_ingest_publish_left_to_repair_total");

        stack.kafka().stop();
        List<Response> outageAnswers = new ArrayList<>();
        Response replayedWhileWaiting;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // The first send of the outage waits for an ack that does not come; a retry of its key once it is
            // committed is a replay (200), whether or not the first is still waiting.
            String key = newKey();
            Future<Response> first = threads.submit(() -> Api.send(alice, id, key, "first of the outage"));
            StoredState committedState = new StoredState(dynamoDb);
            await("the first send of the outage committed").atMost(Duration.ofSeconds(60))
                    .until(() -> committedState.seqs(id).contains(2L));
            replayedWhileWaiting = Api.send(alice, id, key, "first of the outage");
            List<Response> sameKey = List.of(first.get(), replayedWhileWaiting);
            assertThat(sameKey.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
            outageAnswers.add(sameKey.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow());

            for (int i = 0; i < SENDS_DURING_OUTAGE; i++) {
                String sender = i % 2 == 0 ? alice : bob;
                String text = "during the outage #" + i;
                long start = System.nanoTime();
                Response answer = i % 3 == 0
                        ? as(sender).body(Map.of("body", text, "qos", "at-least-once"))
                                .when().post("/v1/conversations/{id}/messages", id)
                        : Api.send(sender, id, text);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(answer.statusCode()).as("send %d while Kafka is down: %s", i, answer.asString()).isEqualTo(201);
                assertThat(took).as("send %d while Kafka is down", i).isLessThan(NO_HANGING_SEND);
                outageAnswers.add(answer);
            }
            // Another ingest process committed this and died before handing it to Kafka.
            AppendOutcome orphan = OtherProcess.appender(dynamoDb, tables, 4, Duration.ofSeconds(25),
                    config.append().retryBudget())
                    .append(new AppendRequest(orphaned, alice, "committed, never published", null, Qos.AT_LEAST_ONCE, null));
            assertThat(orphan).isInstanceOf(AppendOutcome.Committed.class);
        } finally {
            stack.restart(stack.kafka());
        }

        assertThat(replayedWhileWaiting.statusCode()).as("a retry of the committed first send of the outage").isEqualTo(200);
        assertThat(replayedWhileWaiting.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayedWhileWaiting.<Integer>path("seq")).isEqualTo(2);
        assertThat(Api.metric("relay_ingest_publish_left_to_repair_total") - leftToRepairBefore)
                .as("sends answered without touching the unresponsive broker").isGreaterThanOrEqualTo(SENDS_DURING_OUTAGE);

        List<Long> committed = LongStream.rangeClosed(1, 2 + SENDS_DURING_OUTAGE).boxed().toList();
        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.seqs(id)).isEqualTo(committed);
        assertThat(outageAnswers.stream().map(a -> a.<Integer>path("seq").longValue()).sorted().toList())
                .isEqualTo(committed.subList(1, committed.size()));

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<JsonNode>> sent = threads.submit(() -> TopicReader.await(Topics.MESSAGES, id, BACK_ON_KAFKA,
                    values -> seqSet(values).containsAll(committed)));
            Future<List<JsonNode>> repaired = threads.submit(() -> TopicReader.await(Topics.MESSAGES, orphaned,
                    BACK_ON_KAFKA, values -> seqSet(values).contains(1L)));
            assertThat(seqSet(sent.get())).as("seqs on Kafka within %s of its restart", BACK_ON_KAFKA)
                    .containsAll(committed);
            assertThat(seqSet(repaired.get())).as("the orphaned commit on Kafka within %s", BACK_ON_KAFKA)
                    .containsExactly(1L);
        }
        await("publication recorded for both conversations").atMost(Duration.ofSeconds(30))
                .until(() -> !stored.conversation(id).containsKey(Conversations.PUBLISH_PENDING)
                        && !stored.conversation(orphaned).containsKey(Conversations.PUBLISH_PENDING));
        assertThat(StoredState.number(stored.conversation(id), Conversations.PUBLISHED_SEQ)).isEqualTo(committed.size());
    }

    @Test
    void whileDynamoDbIsDownEveryWriteIsUnavailableWithRetryAfterAndNothingIsPublished() {
        LocalStack stack = LocalStack.shared();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice, bob);
        Api.send(alice, id, "before the outage").then().statusCode(201);

        stack.dynamoDb().stop();
        try {
            assertRetryable(Api.send(alice, id, newKey(), "exactly-once"), ProblemType.UNAVAILABLE);
            assertRetryable(as(bob).body(Map.of("body", "typing", "qos", "at-most-once"))
                    .when().post("/v1/conversations/{id}/messages", id), ProblemType.UNAVAILABLE);
            assertRetryable(as(alice).body(Map.of("members", List.of(bob), "title", "new"))
                    .when().post("/v1/conversations"), ProblemType.UNAVAILABLE);
            assertRetryable(as(alice).body(Map.of("userId", newUser("carol")))
                    .when().post("/v1/conversations/{id}/members", id), ProblemType.UNAVAILABLE);
        } finally {
            stack.restart(stack.dynamoDb());
        }
        // DynamoDB Local ran in memory, so the table holds nothing either way; what could leak is a publish.
        List<JsonNode> published = TopicReader.await(Topics.MESSAGES, id, Duration.ofSeconds(3), values -> false);
        assertThat(seqSet(published)).containsExactly(1L);
        assertThat(TopicReader.await(Topics.SIGNALS, id, Duration.ofSeconds(1), values -> false)).isEmpty();
        await("ready again").atMost(Duration.ofSeconds(60))
                .until(() -> given().when().get("/q/health/ready").statusCode() == 200);
    }

    private static Set<Long> seqSet(List<JsonNode> values) {
        return new HashSet<>(TopicReader.seqs(values));
    }
}
