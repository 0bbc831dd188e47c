package dev.relay.ingest;

import static dev.relay.ingest.Api.as;
import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static dev.relay.ingest.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.problem.ProblemType;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The rows of API.md's error table that a single request provokes, on the send path: each answer is
 * the row's status and slug as problem+json, and the refused request left nothing behind (no
 * message, {@code lastSeq} unchanged, no idempotency record). The rows that need a store down (409
 * while Kafka is away, 503) are in {@link StoreOutageTest}, 429 in {@link RateLimitTest}, 422 in
 * {@link SendTest}.
 */
@QuarkusTest
class ErrorTableTest {

    private static final int MAX_BODY_BYTES = 64 * 1024;

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void unparsableJsonWrongTypesUnknownQosAndBadIdsAreMalformed() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String key = newKey();

        for (String body : new String[] {"{\"body\": \"hi\"", "not json", "{\"body\": 42}", "{\"body\": [\"hi\"]}",
                "{\"body\": \"hi\", \"meta\": \"not an object\"}", "{\"body\": \"hi\", \"qos\": \"twice\"}",
                "{\"body\": \"hi\", \"qos\": 1}", "{\"qos\": \"at-least-once\"}"}) {
            Response answer = as(alice).header("Idempotency-Key", key).body(body)
                    .when().post("/v1/conversations/{id}/messages", id);
            assertProblem(answer, ProblemType.MALFORMED_REQUEST);
        }
        assertProblem(as(alice).header("Idempotency-Key", "has spaces and !").body(Map.of("body", "hi"))
                .when().post("/v1/conversations/{id}/messages", id), ProblemType.MALFORMED_REQUEST);
        assertProblem(as(alice).header("Idempotency-Key", "k".repeat(129)).body(Map.of("body", "hi"))
                .when().post("/v1/conversations/{id}/messages", id), ProblemType.MALFORMED_REQUEST);
        assertProblem(as(alice).header("Idempotency-Key", key).body(Map.of("body", "hi"))
                .when().post("/v1/conversations/{id}/messages", "bad:id"), ProblemType.MALFORMED_REQUEST);

        assertNothingStored(id, alice, key);
        assertThat(new StoredState(dynamoDb).seqs("bad:id")).isEmpty();
    }

    @Test
    void anExactlyOnceSendWithoutAKeyNeedsOne() {
        String alice = newUser("alice");
        String id = createConversation(alice);

        assertProblem(Api.send(alice, id, null, "no key"), ProblemType.IDEMPOTENCY_KEY_REQUIRED);
        assertProblem(as(alice).body(Map.of("body", "no key", "qos", "exactly-once"))
                .when().post("/v1/conversations/{id}/messages", id), ProblemType.IDEMPOTENCY_KEY_REQUIRED);
        assertProblem(as(alice).header("Idempotency-Key", "").body(Map.of("body", "empty key"))
                .when().post("/v1/conversations/{id}/messages", id), ProblemType.IDEMPOTENCY_KEY_REQUIRED);

        assertNothingStored(id, alice, null);
    }

    @Test
    void aMissingBadOrExpiredTokenIsUnauthorizedWithABearerChallenge() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice);
        String key = newKey();
        String expired = LocalStack.shared().tokens().forUser(alice, Duration.ofMinutes(-10));
        String[] authorizations = {null, "Bearer not-a-jwt", "Bearer " + expired, "Basic YWxpY2U6c2VjcmV0",
                "Bearer " + Api.token(alice).substring(0, Api.token(alice).length() - 4) + "AAAA"};

        for (String authorization : authorizations) {
            var request = given().contentType(ContentType.JSON);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            Response send = request.header("Idempotency-Key", key).body(Map.of("body", "who am I"))
                    .when().post("/v1/conversations/{id}/messages", id);
            assertProblem(send, ProblemType.UNAUTHORIZED);
            assertThat(send.header("WWW-Authenticate")).startsWith("Bearer");

            var addMember = given().contentType(ContentType.JSON);
            if (authorization != null) {
                addMember.header("Authorization", authorization);
            }
            assertProblem(addMember.body(Map.of("userId", bob)).when().post("/v1/conversations/{id}/members", id),
                    ProblemType.UNAUTHORIZED);
        }

        assertNothingStored(id, alice, key);
        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.member(id, bob)).isEmpty();
        assertThat(StoredState.number(stored.conversation(id), Conversations.MEMBER_COUNT)).isEqualTo(1);
    }

    @Test
    void aSendToAnUnknownConversationOrByANonMemberIsNotFound() {
        String alice = newUser("alice");
        String mallory = newUser("mallory");
        String id = createConversation(alice);
        String key = newKey();

        assertProblem(Api.send(mallory, id, key, "let me in"), ProblemType.CONVERSATION_NOT_FOUND);
        assertProblem(as(mallory).body(Map.of("body", "psst", "qos", "at-most-once"))
                .when().post("/v1/conversations/{id}/messages", id), ProblemType.CONVERSATION_NOT_FOUND);
        assertProblem(Api.send(alice, "no-such-" + id, key, "hello?"), ProblemType.CONVERSATION_NOT_FOUND);

        assertNothingStored(id, mallory, key);
        assertThat(new StoredState(dynamoDb).idempotencyRecordExists(alice, key)).isFalse();
        assertThat(new StoredState(dynamoDb).seqs("no-such-" + id)).isEmpty();
    }

    @Test
    void aBodyOverSixtyFourKibOfUtf8IsTooLargeAndOneAtTheLimitIsNot() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String key = newKey();

        assertProblem(Api.send(alice, id, key, "a".repeat(MAX_BODY_BYTES + 1)), ProblemType.PAYLOAD_TOO_LARGE);
        // 32,769 characters, but 65,538 bytes of UTF-8: the limit counts bytes.
        assertProblem(Api.send(alice, id, key, "é".repeat(MAX_BODY_BYTES / 2 + 1)), ProblemType.PAYLOAD_TOO_LARGE);
        assertNothingStored(id, alice, key);

        Api.send(alice, id, key, "a".repeat(MAX_BODY_BYTES)).then().statusCode(201);
        Api.send(alice, id, newKey(), "é".repeat(MAX_BODY_BYTES / 2)).then().statusCode(201);
        assertThat(new StoredState(dynamoDb).seqs(id)).containsExactly(1L, 2L);
    }

    @Test
    void aRequestOverNinetySixKibIsTooLargeBeforeItIsRead() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String key = newKey();

        Response answer = as(alice).header("Idempotency-Key", key)
                .body("{\"body\":\"hi\",\"meta\":{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}}")
                .when().post("/v1/conversations/{id}/messages", id);
        assertProblem(answer, ProblemType.PAYLOAD_TOO_LARGE);

        assertNothingStored(id, alice, key);
    }

    private void assertNothingStored(String conversationId, String senderId, String key) {
        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.seqs(conversationId)).isEmpty();
        assertThat(stored.lastSeq(conversationId)).isZero();
        Map<String, ?> member = stored.member(conversationId, senderId);
        if (!member.isEmpty()) {
            assertThat(StoredState.number(stored.member(conversationId, senderId), Members.READ_SEQ)).isZero();
        }
        if (key != null) {
            assertThat(stored.idempotencyRecordExists(senderId, key)).isFalse();
        }
    }
}
