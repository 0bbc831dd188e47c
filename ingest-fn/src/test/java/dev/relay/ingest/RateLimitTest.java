package dev.relay.ingest;

import static dev.relay.ingest.Api.as;
import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static dev.relay.ingest.Problems.assertRetryable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.problem.ProblemType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * 429 {@code rate-limited} from the real per-user bucket in Redis. The sender is the user that the
 * test configuration gives a bucket of its own, small enough to empty in a few sends
 * ({@code %test.relay.ingest.rate-limit.users."rate-limit-probe"}: burst 3, one token back every 20 s, so
 * no token comes back while the test runs).
 */
@QuarkusTest
class RateLimitTest {

    /** Configured in application.properties (%test). */
    private static final String LIMITED_USER = "rate-limit-probe";
    private static final int BURST = 3;

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void aSenderOverTheBucketIsRateLimitedWithRetryAfterAndNothingIsWritten() {
        String alice = LIMITED_USER;
        String bob = newUser("bob");
        String id = createConversation(alice, bob);

        List<Response> answers = new ArrayList<>();
        Response limited = null;
        for (int i = 0; i < BURST + 3 && limited == null; i++) {
            Response answer = Api.send(alice, id, newKey(), "burst " + i);
            answers.add(answer);
            if (answer.statusCode() == 429) {
                limited = answer;
            } else {
                assertThat(answer.statusCode()).isEqualTo(201);
            }
        }
        assertThat(limited).as("a 429 after the burst of %d", BURST).isNotNull();
        assertThat(answers.size() - 1).as("sends let through before the 429").isGreaterThanOrEqualTo(BURST);
        // Seconds until the next token: at most one refill period (20 s).
        assertThat(assertRetryable(limited, ProblemType.RATE_LIMITED)).isBetween(1L, 20L);
        StoredState stored = new StoredState(dynamoDb);
        List<Long> committed = stored.seqs(id);
        assertThat(committed).hasSize(answers.size() - 1);

        // A refused send wrote nothing: not its message, not its key. Signals have a bucket of their own.
        String key = newKey();
        Response refused = Api.send(alice, id, key, "too soon");
        assertRetryable(refused, ProblemType.RATE_LIMITED);
        as(alice).body(Map.of("body", "typing", "qos", "at-most-once"))
                .when().post("/v1/conversations/{id}/messages", id).then().statusCode(202);
        assertThat(stored.seqs(id)).isEqualTo(committed);
        assertThat(stored.lastSeq(id)).isEqualTo(committed.size());
        assertThat(stored.idempotencyRecordExists(alice, key)).isFalse();

        // The bucket is per user: bob is not limited by alice's sends.
        Api.send(bob, id, newKey(), "my own bucket").then().statusCode(201);
    }

    @Test
    void signalsHaveTheirOwnBucketSoTypingCannotStarveSends() {
        String typist = "signal-limit-probe";
        String id = createConversation(typist, newUser("bob"));
        Response limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            Response answer = as(typist).body(Map.of("body", "typing", "qos", "at-most-once"))
                    .when().post("/v1/conversations/{id}/messages", id);
            if (answer.statusCode() == 429) {
                limited = answer;
            } else {
                assertThat(answer.statusCode()).isEqualTo(202);
            }
        }
        assertThat(limited).as("a 429 after the signal burst of 3").isNotNull();
        assertThat(assertRetryable(limited, ProblemType.RATE_LIMITED)).isBetween(1L, 20L);
        assertThat(limited.<String>path("detail")).contains("signals");

        Api.send(typist, id, newKey(), "a real message").then().statusCode(201);
        assertThat(new StoredState(dynamoDb).seqs(id)).containsExactly(1L);
    }

    @Test
    void creatingConversationsIsRateLimitedPerUserAndARefusedCreateWritesNothing() {
        String creator = "create-limit-probe";
        String peer = newUser("peer");
        List<String> created = new ArrayList<>();
        Response limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            Response answer = as(creator).body(Map.of("members", List.of(peer), "title", "t" + i))
                    .when().post("/v1/conversations");
            if (answer.statusCode() == 429) {
                limited = answer;
            } else {
                assertThat(answer.statusCode()).isEqualTo(201);
                created.add(answer.path("conversationId"));
            }
        }
        assertThat(limited).as("a 429 after the creation burst of 3").isNotNull();
        assertThat(created).hasSizeGreaterThanOrEqualTo(3);
        assertThat(assertRetryable(limited, ProblemType.RATE_LIMITED)).isBetween(1L, 20L);
        assertThat(conversationsOf(peer)).as("the refused create wrote no member item")
                .containsExactlyInAnyOrderElementsOf(created);
        // The bucket is per user, and a malformed request is 400 before it takes a token.
        as(creator).body("{\"members\":7}").when().post("/v1/conversations").then().statusCode(400);
        createConversation(peer, creator);
    }

    @Test
    void addingMembersIsRateLimitedPerUserAndARefusedAddWritesNothing() {
        String adder = "member-limit-probe";
        String id = createConversation(adder);
        List<String> added = new ArrayList<>();
        Response limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            String member = newUser("member");
            Response answer = as(adder).body(Map.of("userId", member)).when().post("/v1/conversations/{id}/members", id);
            if (answer.statusCode() == 429) {
                limited = answer;
                assertThat(new StoredState(dynamoDb).member(id, member)).as("refused add wrote nothing").isEmpty();
            } else {
                assertThat(answer.statusCode()).isEqualTo(204);
                added.add(member);
            }
        }
        assertThat(limited).as("a 429 after the member burst of 3").isNotNull();
        assertThat(assertRetryable(limited, ProblemType.RATE_LIMITED)).isBetween(1L, 20L);
        StoredState stored = new StoredState(dynamoDb);
        assertThat(StoredState.number(stored.conversation(id), dev.relay.contract.names.Tables.Conversations.MEMBER_COUNT))
                .isEqualTo(1 + added.size());
        // Another member of the same conversation has a bucket of their own.
        as(added.getFirst()).body(Map.of("userId", newUser("late"))).when().post("/v1/conversations/{id}/members", id)
                .then().statusCode(204);
    }

    private List<String> conversationsOf(String userId) {
        return dynamoDb.query(b -> b.tableName(dev.relay.contract.names.Tables.Members.NAME)
                        .indexName(dev.relay.contract.names.Tables.Members.BY_USER_INDEX)
                        .keyConditionExpression("#u = :u")
                        .expressionAttributeNames(Map.of("#u", dev.relay.contract.names.Tables.Members.USER_ID))
                        .expressionAttributeValues(Map.of(":u", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(userId))))
                .items().stream().map(item -> item.get(dev.relay.contract.names.Tables.Members.CONVERSATION_ID).s()).toList();
    }
}
