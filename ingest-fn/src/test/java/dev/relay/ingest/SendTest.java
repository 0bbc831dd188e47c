package dev.relay.ingest;

import static dev.relay.ingest.Api.as;
import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.names.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@QuarkusTest
class SendTest {

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void anExactlyOnceSendIsDurablePublishedAndCountsAsReadBySender() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice, bob);

        Response sent = as(alice).header("Idempotency-Key", newKey())
                .body(Map.of("body", "hi", "meta", Map.of("lang", "en")))
                .when().post("/v1/conversations/{id}/messages", id);
        sent.then().statusCode(201)
                .header("Location", containsString("/v1/conversations/" + id + "/messages?after=0&limit=1"))
                .body("conversationId", equalTo(id))
                .body("seq", equalTo(1))
                .body("senderId", equalTo(alice))
                .body("qos", equalTo("exactly-once"))
                .body("messageId", notNullValue())
                .body("sentAt", notNullValue());

        StoredState stored = new StoredState(dynamoDb);
        Map<String, AttributeValue> message = stored.message(id, 1);
        assertThat(message.get(Messages.BODY).s()).isEqualTo("hi");
        assertThat(message.get(Messages.MESSAGE_ID).s()).isEqualTo(sent.path("messageId"));
        assertThat(message.get(Messages.META).s()).isEqualTo("{\"lang\":\"en\"}");
        assertThat(stored.lastSeq(id)).isEqualTo(1);
        assertThat(StoredState.number(stored.member(id, alice), Members.READ_SEQ)).isEqualTo(1);
        assertThat(StoredState.number(stored.member(id, alice), Members.DELIVERED_SEQ)).isEqualTo(1);
        assertThat(StoredState.number(stored.member(id, bob), Members.READ_SEQ)).isZero();

        List<JsonNode> onKafka = TopicReader.await(Topics.MESSAGES, id, Duration.ofSeconds(10), values -> !values.isEmpty());
        assertThat(onKafka).isNotEmpty();
        JsonNode envelope = onKafka.getFirst();
        assertThat(envelope.path("version").asInt()).isEqualTo(1);
        assertThat(envelope.path("message").path("messageId").asText()).isEqualTo(sent.<String>path("messageId"));
        assertThat(envelope.path("message").path("body").asText()).isEqualTo("hi");
        assertThat(envelope.path("message").path("sentAt").asText()).isEqualTo(sent.<String>path("sentAt"));
        assertThat(envelope.path("message").path("meta").path("lang").asText()).isEqualTo("en");
    }

    @Test
    void aConfirmedPublishClearsThePendingMarker() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        Api.send(alice, id, "one").then().statusCode(201);
        Api.send(alice, id, "two").then().statusCode(201);

        StoredState stored = new StoredState(dynamoDb);
        await("publishPending cleared").atMost(Duration.ofSeconds(5))
                .until(() -> !stored.conversation(id).containsKey(Conversations.PUBLISH_PENDING));
        Map<String, AttributeValue> conversation = stored.conversation(id);
        assertThat(conversation).doesNotContainKeys(Conversations.PUBLISH_PENDING, Conversations.COMMITTED_AT);
        assertThat(StoredState.number(conversation, Conversations.PUBLISHED_SEQ)).isEqualTo(2);
    }

    @Test
    void aRetriedKeyIsAnsweredWithTheOriginalResultAndStoresNothingNew() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String key = newKey();

        Response first = Api.send(alice, id, key, "once");
        first.then().statusCode(201);
        Response replay = Api.send(alice, id, key, "once");
        replay.then().statusCode(200).header("Idempotent-Replayed", "true");

        assertThat(replay.asString()).isEqualTo(first.asString());
        assertThat(new StoredState(dynamoDb).seqs(id)).containsExactly(1L);
    }

    @Test
    void aKeyReusedWithAnotherBodyOrConversationIsRefusedAndWritesNothing() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String other = createConversation(alice);
        String key = newKey();
        Api.send(alice, id, key, "original").then().statusCode(201);

        Api.send(alice, id, key, "edited").then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://relay.dev/problems/idempotency-key-reused"))
                .body("status", equalTo(422));
        Api.send(alice, other, key, "original").then().statusCode(422)
                .body("type", equalTo("https://relay.dev/problems/idempotency-key-reused"));

        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.seqs(id)).containsExactly(1L);
        assertThat(stored.seqs(other)).isEmpty();
    }

    @Test
    void theSameKeyFromAnotherSenderIsAnotherMessage() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice, bob);
        String key = newKey();
        Api.send(alice, id, key, "same words").then().statusCode(201).body("seq", equalTo(1));
        Api.send(bob, id, key, "same words").then().statusCode(201).body("seq", equalTo(2));
    }

    @Test
    void atLeastOnceNeedsNoKeyAndIsNotDeduplicated() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        for (int i = 0; i < 2; i++) {
            as(alice).body(Map.of("body", "again", "qos", "at-least-once"))
                    .when().post("/v1/conversations/{id}/messages", id)
                    .then().statusCode(201).body("qos", equalTo("at-least-once")).body("seq", equalTo(i + 1));
        }
        assertThat(new StoredState(dynamoDb).seqs(id)).containsExactly(1L, 2L);
    }

    @Test
    void anAtMostOnceSignalGoesToTheSignalsTopicAndIsNeverStored() {
        String alice = newUser("alice");
        String id = createConversation(alice);

        as(alice).body(Map.of("body", "typing", "qos", "at-most-once", "meta", Map.of("state", "on")))
                .when().post("/v1/conversations/{id}/messages", id)
                .then().statusCode(202)
                .body("conversationId", equalTo(id))
                .body("qos", equalTo("at-most-once"));

        List<JsonNode> signals = TopicReader.await(Topics.SIGNALS, id, Duration.ofSeconds(10), values -> !values.isEmpty());
        assertThat(signals).hasSize(1);
        JsonNode frame = signals.getFirst().path("frame");
        assertThat(frame.path("type").asText()).isEqualTo("signal");
        assertThat(frame.path("senderId").asText()).isEqualTo(alice);
        assertThat(frame.path("body").asText()).isEqualTo("typing");
        assertThat(frame.path("meta").path("state").asText()).isEqualTo("on");
        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.seqs(id)).isEmpty();
        assertThat(stored.lastSeq(id)).isZero();
    }

    @Test
    void sendsAreMeasuredInMetrics() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String key = newKey();
        Api.send(alice, id, key, "measured").then().statusCode(201);
        Api.send(alice, id, key, "measured").then().statusCode(200);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("relay_ingest_commit_seconds_count", "relay_ingest_publish_seconds_count",
                "relay_ingest_replays_total", "relay_ingest_append_retries_total", "relay_ingest_rate_limited_total",
                "relay_ingest_repair_published_total",
                "relay_dynamodb_request_seconds_count{operation=\"TransactWriteItems\",outcome=\"ok\"}",
                "relay_dynamodb_attempts_total{operation=\"TransactWriteItems\"}");
        assertThat(Api.metric("relay_ingest_replays_total")).isGreaterThanOrEqualTo(1.0);
    }
}
