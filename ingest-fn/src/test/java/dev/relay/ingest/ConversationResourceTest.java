package dev.relay.ingest;

import static dev.relay.ingest.Api.as;
import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@QuarkusTest
class ConversationResourceTest {

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    RedisDataSource redis;

    @Test
    void creatingAConversationStoresTheCallerAndEachDistinctMemberWithZeroWatermarks() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        String id = as(alice).body(Map.of("members", List.of(bob, carol, bob, alice), "title", "Trip"))
                .when().post("/v1/conversations")
                .then().statusCode(201)
                .body("title", equalTo("Trip"))
                .body("members", contains(alice, bob, carol))
                .body("lastSeq", equalTo(0))
                .body("createdAt", notNullValue())
                .extract().path("conversationId");

        StoredState stored = new StoredState(dynamoDb);
        Map<String, AttributeValue> conversation = stored.conversation(id);
        assertThat(conversation.get(Conversations.TITLE).s()).isEqualTo("Trip");
        assertThat(conversation.get(Conversations.CREATED_BY).s()).isEqualTo(alice);
        assertThat(StoredState.number(conversation, Conversations.LAST_SEQ)).isZero();
        assertThat(StoredState.number(conversation, Conversations.MEMBER_COUNT)).isEqualTo(3);
        assertThat(conversation).containsKeys(Conversations.CREATED_AT, Conversations.LAST_ACTIVITY_AT);
        for (String member : List.of(alice, bob, carol)) {
            Map<String, AttributeValue> item = stored.member(id, member);
            assertThat(StoredState.number(item, Members.DELIVERED_SEQ)).isZero();
            assertThat(StoredState.number(item, Members.READ_SEQ)).isZero();
        }
    }

    @Test
    void aConversationWithoutItsConversationItemDoesNotExistForItsMembers() {
        String alice = newUser("alice");
        String halfCreated = "half-" + alice;
        dynamoDb.putItem(b -> b.tableName(Members.NAME).item(Map.of(
                Members.CONVERSATION_ID, AttributeValue.fromS(halfCreated),
                Members.USER_ID, AttributeValue.fromS(alice),
                Members.DELIVERED_SEQ, AttributeValue.fromN("0"),
                Members.READ_SEQ, AttributeValue.fromN("0"))));

        Api.send(alice, halfCreated, "hello").then().statusCode(404)
                .body("type", endsWith("/conversation-not-found"));
        as(alice).body(Map.of("userId", newUser("bob"))).when().post("/v1/conversations/{id}/members", halfCreated)
                .then().statusCode(404).body("type", endsWith("/conversation-not-found"));
        assertThat(new StoredState(dynamoDb).seqs(halfCreated)).isEmpty();
    }

    @Test
    void addingAMemberCountsThemAnnouncesTheChangeAndLetsThemSend() {
        String alice = newUser("alice");
        String dave = newUser("dave");
        String id = createConversation(alice);
        BlockingQueue<String> announced = new LinkedBlockingQueue<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class)
                .subscribe(RedisKeys.MEMBERSHIP_CHANGES, announced::add);
        try {
            as(alice).body(Map.of("userId", dave)).when().post("/v1/conversations/{id}/members", id)
                    .then().statusCode(204);
            awaitAnnouncement(announced, id);
        } finally {
            subscriber.unsubscribe();
        }
        as(alice).body(Map.of("userId", dave)).when().post("/v1/conversations/{id}/members", id)
                .then().statusCode(204);

        StoredState stored = new StoredState(dynamoDb);
        assertThat(StoredState.number(stored.conversation(id), Conversations.MEMBER_COUNT)).isEqualTo(2);
        assertThat(StoredState.number(stored.member(id, dave), Members.READ_SEQ)).isZero();
        Api.send(dave, id, "hi, I'm new").then().statusCode(201).body("seq", equalTo(1));
    }

    @Test
    void aNonMemberCannotAddMembersAndLearnsNothing() {
        String alice = newUser("alice");
        String mallory = newUser("mallory");
        String id = createConversation(alice);

        as(mallory).body(Map.of("userId", mallory)).when().post("/v1/conversations/{id}/members", id)
                .then().statusCode(404).body("type", endsWith("/conversation-not-found"));
        as(mallory).body(Map.of("userId", mallory)).when().post("/v1/conversations/{id}/members", "no-such-" + alice)
                .then().statusCode(404).body("type", endsWith("/conversation-not-found"));
        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.member(id, mallory)).isEmpty();
        assertThat(StoredState.number(stored.conversation(id), Conversations.MEMBER_COUNT)).isEqualTo(1);
    }

    @Test
    void membersMayLeaveAndOnlyTheCreatorMayRemoveOthers() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        String id = createConversation(alice, bob, carol);
        StoredState stored = new StoredState(dynamoDb);

        as(bob).when().delete("/v1/conversations/{id}/members/{user}", id, carol)
                .then().statusCode(404).body("type", endsWith("/conversation-not-found"));
        assertThat(stored.member(id, carol)).isNotEmpty();

        as(alice).when().delete("/v1/conversations/{id}/members/{user}", id, carol).then().statusCode(204);
        as(bob).when().delete("/v1/conversations/{id}/members/{user}", id, bob).then().statusCode(204);
        as(alice).when().delete("/v1/conversations/{id}/members/{user}", id, bob).then().statusCode(204);

        assertThat(stored.member(id, carol)).isEmpty();
        assertThat(stored.member(id, bob)).isEmpty();
        assertThat(StoredState.number(stored.conversation(id), Conversations.MEMBER_COUNT)).isEqualTo(1);
        Api.send(bob, id, "still here?").then().statusCode(404).body("type", endsWith("/conversation-not-found"));
        assertThat(stored.lastSeq(id)).isZero();
    }

    @Test
    void badUserIdsAndOversizedConversationsAreMalformedAndCreateNothing() {
        String alice = newUser("alice");
        long before = conversationsCreatedBy(alice);
        as(alice).body(Map.of("members", List.of("bad id with spaces"))).when().post("/v1/conversations")
                .then().statusCode(400).body("type", endsWith("/malformed-request"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            tooMany.add("u" + i);
        }
        as(alice).body(Map.of("members", tooMany)).when().post("/v1/conversations")
                .then().statusCode(400).body("type", endsWith("/malformed-request"));
        as(alice).body("{\"members\": \"bob\"}").when().post("/v1/conversations")
                .then().statusCode(400).body("type", endsWith("/malformed-request"));
        given().contentType("application/json").body(Map.of("members", List.of())).when().post("/v1/conversations")
                .then().statusCode(401).body("type", endsWith("/unauthorized"));
        assertThat(conversationsCreatedBy(alice)).isEqualTo(before);
        assertThat(new StoredState(dynamoDb).member("x", "u1")).isEmpty();
    }

    private long conversationsCreatedBy(String userId) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":u", AttributeValue.fromS(userId));
        return dynamoDb.query(b -> b.tableName(Members.NAME).indexName(Members.BY_USER_INDEX)
                .keyConditionExpression("#u = :u")
                .expressionAttributeNames(Map.of("#u", Members.USER_ID))
                .expressionAttributeValues(values)).count();
    }

    private static void awaitAnnouncement(BlockingQueue<String> announced, String conversationId) {
        List<String> seen = new ArrayList<>();
        await("the announcement of " + conversationId).atMost(Duration.ofSeconds(10)).until(() -> {
            announced.drainTo(seen);
            return seen.stream().anyMatch(m -> m.contains("\"conversationId\":\"" + conversationId + "\""));
        });
    }
}
