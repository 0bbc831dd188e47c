package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.relay.contract.names.Tables.Conversations;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Sends with acks in the append on ({@code relay.ingest.append.acks-in-append.enabled}, as the
 * {@code local} profile has it; off by default, where the confirmation pass writes every ack).
 */
@QuarkusTest
@TestProfile(GroupCommitTest.GroupCommitOn.class)
class AcksInAppendSendTest {

    private static final String BY_APPEND = "relay_ingest_publish_confirmations_total{by=\"append\"";

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void aSendRecordsTheEarlierAcksOfItsConversationInItsOwnTransaction() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        double byAppend = Api.metric(BY_APPEND);
        Api.send(alice, id, "one").then().statusCode(201);
        // 201 came after Kafka's ack of seq 1; the next append records it, with no write of its own.
        Api.send(alice, id, "two").then().statusCode(201);

        Map<String, AttributeValue> conversation = new StoredState(dynamoDb).conversation(id);
        assertThat(StoredState.number(conversation, Conversations.PUBLISHED_SEQ)).isEqualTo(1);
        assertThat(conversation).containsKey(Conversations.PUBLISH_PENDING);
        assertThat(Api.metric(BY_APPEND)).isGreaterThan(byAppend);
    }

    @Test
    void aSendWhoseAcksAnotherProcessRecordedFirstStillCommitsAndNeverLowersPublishedSeq() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        Api.send(alice, id, "one").then().statusCode(201);
        Api.send(alice, id, "two").then().statusCode(201);
        // As if another ingest process had confirmed seq 2 meanwhile: the run this process offers next
        // (2..2, after the 1 it recorded) no longer follows the stored publishedSeq.
        dynamoDb.updateItem(b -> b.tableName(Conversations.NAME)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(id)))
                .updateExpression("SET #p = :two")
                .expressionAttributeNames(Map.of("#p", Conversations.PUBLISHED_SEQ))
                .expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2"))));

        Api.send(alice, id, "three").then().statusCode(201).body("seq", equalTo(3));

        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.seqs(id)).containsExactly(1L, 2L, 3L);
        assertThat(StoredState.number(stored.conversation(id), Conversations.PUBLISHED_SEQ)).isEqualTo(2);
        await("seq 3 confirmed").atMost(Duration.ofSeconds(10))
                .until(() -> !stored.conversation(id).containsKey(Conversations.PUBLISH_PENDING));
        assertThat(StoredState.number(stored.conversation(id), Conversations.PUBLISHED_SEQ)).isEqualTo(3);
    }
}
