package dev.relay.ingest;

import static dev.relay.ingest.Api.as;
import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static dev.relay.ingest.Problems.assertProblem;
import static dev.relay.ingest.Problems.assertRetryable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.problem.ProblemType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Issue 15, findings 5, 8 and 9: the status tells the truth. Contention is 503 with Retry-After
 * (nothing written), an internal guard is a 500, not a client's 400; a key answer is never given
 * to a non-member; and retries of a committed key are replays, however many arrive at once.
 */
@QuarkusTest
class ErrorTruthTest {

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void membershipWritesThatLoseEveryAttemptToContentionAre503WithNothingWritten() {
        String alice = newUser("alice");
        String dave = newUser("dave");
        String id = createConversation(alice);

        Response add = as(alice).when().post("/test/failures/contended/{id}/members/{user}", id, dave);
        assertRetryable(add, ProblemType.UNAVAILABLE);
        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.member(id, dave)).isEmpty();
        assertThat(StoredState.number(stored.conversation(id), Conversations.MEMBER_COUNT)).isEqualTo(1);

        Response create = as(alice).when().post("/test/failures/contended/conversations/{creator}/{member}", alice, dave);
        assertRetryable(create, ProblemType.UNAVAILABLE);
        assertThat(conversationsOf(dave)).as("dave is a member of nothing visible").allSatisfy(conversationId ->
                assertThat(stored.conversation(conversationId)).isEmpty());

        // The real store still serves the same request.
        as(alice).body(Map.of("userId", dave)).when().post("/v1/conversations/{id}/members", id).then().statusCode(204);
        Api.send(dave, id, newKey(), "joined").then().statusCode(201);
    }

    @Test
    void internalGuardFailuresAreServerErrorsNotClientMistakes() {
        String alice = newUser("alice");
        for (String guard : new String[] {"illegal-argument", "illegal-state"}) {
            Response answer = as(alice).when().post("/test/failures/" + guard);
            assertThat(answer.statusCode()).as(guard).isEqualTo(500);
            assertThat(answer.contentType()).startsWith(ProblemType.MEDIA_TYPE);
            assertThat(answer.<String>path("detail")).as("no internals leak").isEqualTo("an unexpected error occurred");
        }
    }

    @Test
    void aKeyUsedInOwnConversationAndSentToAForeignOneIsNotFoundNotReused() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String own = createConversation(alice);
        String foreign = createConversation(bob);
        String shared = createConversation(alice, bob);
        String key = newKey();
        Api.send(alice, own, key, "mine").then().statusCode(201);

        Response same = Api.send(alice, foreign, key, "mine");
        Response other = Api.send(alice, foreign, key, "something else");
        Response missing = Api.send(alice, "no-such-" + foreign, key, "mine");
        for (Response answer : List.of(same, other, missing)) {
            assertProblem(answer, ProblemType.CONVERSATION_NOT_FOUND);
        }
        assertThat(same.<String>path("detail")).isEqualTo(missing.<String>path("detail"));
        // A member still learns the key is taken.
        assertProblem(Api.send(alice, shared, key, "mine"), ProblemType.IDEMPOTENCY_KEY_REUSED);

        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.seqs(foreign)).isEmpty();
        assertThat(stored.lastSeq(foreign)).isZero();
        assertThat(stored.seqs(shared)).isEmpty();
        Api.send(bob, foreign, newKey(), "still mine").then().statusCode(201);
        Api.send(alice, own, key, "mine").then().statusCode(200).header("Idempotent-Replayed", "true");
    }

    @Test
    void aRemovedMemberReplayingTheirKeyIsNotFound() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice, bob);
        String key = newKey();
        Api.send(bob, id, key, "bye").then().statusCode(201);
        as(bob).when().delete("/v1/conversations/{id}/members/{user}", id, bob).then().statusCode(204);

        assertProblem(Api.send(bob, id, key, "bye"), ProblemType.CONVERSATION_NOT_FOUND);
        assertProblem(Api.send(bob, id, key, "changed"), ProblemType.CONVERSATION_NOT_FOUND);
        assertThat(new StoredState(dynamoDb).seqs(id)).containsExactly(1L);
    }

    @Test
    void twentyConcurrentRetriesOfACommittedKeyAreAllReplays() throws Exception {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String key = newKey();
        Response original = Api.send(alice, id, key, "once");
        original.then().statusCode(201);

        List<Callable<Response>> retries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            retries.add(() -> Api.send(alice, id, key, "once"));
        }
        List<Response> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Response> answer : threads.invokeAll(retries)) {
                answers.add(answer.get());
            }
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
            assertThat(answer.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(answer.asString()).isEqualTo(original.asString());
        });
        assertThat(new StoredState(dynamoDb).seqs(id)).containsExactly(1L);
    }

    private List<String> conversationsOf(String userId) {
        QueryResponse page = dynamoDb.query(b -> b.tableName(Members.NAME).indexName(Members.BY_USER_INDEX)
                .keyConditionExpression("#u = :u")
                .expressionAttributeNames(Map.of("#u", Members.USER_ID))
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId))));
        return page.items().stream().map(item -> item.get(Members.CONVERSATION_ID).s()).toList();
    }
}
