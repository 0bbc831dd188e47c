package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static dev.relay.ingest.AppendRequests.atLeastOnce;
import static dev.relay.ingest.Problems.assertRetryable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.Tables.Idempotency;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.ingest.append.AppendOutcome;
import dev.relay.ingest.append.MessageAppender;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.platform.dynamo.MessageItems;
import dev.relay.platform.dynamo.TableNames;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A conversation whose every append transaction is cancelled: a message item already sits at
 * {@code lastSeq + 1} (as a writer that holds the next seq would leave it), so the put-if-absent of
 * the message fails a real DynamoDB condition on every attempt while {@code lastSeq} itself names no
 * failure; each attempt re-reads {@code lastSeq} and finds the same seq. Such retries must stop at
 * the append's time budget, answered 503 with {@code Retry-After}, with nothing written.
 */
@QuarkusTest
class RetryBudgetTest {

    /** Slack on a loaded 2-core machine for one last attempt and the HTTP round trip. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    TableNames tables;

    @Inject
    IngestConfig config;

    @Test
    void aSendWhoseEveryTransactionIsCancelledIsAnswered503WithinTheRetryBudgetWithNothingWritten() {
        String alice = newUser("alice");
        String id = createConversation(alice, newUser("bob"));
        Api.send(alice, id, "before").then().statusCode(201);
        StoredState stored = new StoredState(dynamoDb);
        holdNextSeq(id, stored.lastSeq(id));
        String key = newKey();

        long started = System.nanoTime();
        Response response = Api.send(alice, id, key, "never stored");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertRetryable(response, ProblemType.UNAVAILABLE);
        System.out.printf("RetryBudgetTest: 503 after %d ms (budget %s)%n", took.toMillis(), config.append().retryBudget());
        assertThat(took).as("answered within the retry budget (%s)", config.append().retryBudget())
                .isLessThan(config.append().retryBudget().plus(SLACK));
        assertThat(stored.lastSeq(id)).isEqualTo(1);
        assertThat(stored.seqs(id)).as("the held seq 2 and nothing else").containsExactly(1L, 2L);
        assertThat(stored.message(id, 2).get(Messages.BODY).s()).isEqualTo("held");
        assertThat(idempotencyRecord(alice, key)).as("the key is not claimed").isEmpty();
        assertThat(StoredState.number(stored.member(id, alice), Members.DELIVERED_SEQ))
                .isEqualTo(1);
    }

    @Test
    void retriesStopAtTheBudgetLongBeforeTheAttemptsRunOut() {
        String alice = newUser("alice");
        String id = createConversation(alice, newUser("bob"));
        Api.send(alice, id, "before").then().statusCode(201);
        StoredState stored = new StoredState(dynamoDb);
        holdNextSeq(id, stored.lastSeq(id));
        Duration budget = Duration.ofMillis(200);
        MessageAppender log = OtherProcess.appender(dynamoDb, tables, 2, Duration.ofSeconds(25), budget);

        long started = System.nanoTime();
        AppendOutcome outcome = log.append(atLeastOnce(id, alice, "never stored"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome).isInstanceOf(AppendOutcome.Contended.class);
        System.out.printf("RetryBudgetTest: contended after %d ms and %s (budget %s)%n", took.toMillis(), outcome, budget);
        assertThat(((AppendOutcome.Contended) outcome).attempts()).as("attempts made").isBetween(2, 63);
        assertThat(took).isLessThan(budget.plus(SLACK));
        assertThat(stored.lastSeq(id)).isEqualTo(1);
        assertThat(stored.seqs(id)).containsExactly(1L, 2L);
    }

    /** Puts a message item at {@code lastSeq + 1} without moving {@code lastSeq}. */
    private void holdNextSeq(String conversationId, long lastSeq) {
        Message held = new Message(UUID.randomUUID().toString(), conversationId, lastSeq + 1, "someone-else", "held",
                null, Instant.now().truncatedTo(ChronoUnit.MILLIS), Qos.AT_LEAST_ONCE);
        dynamoDb.putItem(b -> b.tableName(tables.of(Messages.NAME)).item(MessageItems.toItem(held)));
    }

    private Map<String, AttributeValue> idempotencyRecord(String senderId, String key) {
        return dynamoDb.getItem(b -> b.tableName(tables.of(Idempotency.NAME)).consistentRead(true)
                .key(Map.of(Idempotency.SENDER_ID, AttributeValue.fromS(senderId),
                        Idempotency.IDEMPOTENCY_KEY, AttributeValue.fromS(key)))).item();
    }
}
