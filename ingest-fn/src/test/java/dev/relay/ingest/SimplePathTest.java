package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.ingest.append.Committer;
import dev.relay.ingest.append.TransactionCommitter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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

/**
 * The app with both optimisations turned off by their keys: each send is one transaction of its own,
 * sent at once, and no append records Kafka acks (the confirmation pass does).
 */
@QuarkusTest
@TestProfile(SimplePathTest.SimplePath.class)
class SimplePathTest {

    public static final class SimplePath implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.ingest.append.group-commit.enabled", "false",
                    "relay.ingest.append.acks-in-append.enabled", "false");
        }
    }

    @Inject
    Committer committer;

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void theKeysLeaveTheCoreCommitterAlone() {
        assertThat(committer).isInstanceOf(TransactionCommitter.class);
    }

    @Test
    void concurrentSendsEachCommitInATransactionOfTheirOwnAndNoAppendRecordsAcks() throws Exception {
        String alice = newUser("alice");
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            conversations.add(createConversation(alice));
        }
        double groupedBefore = Api.metric("relay_dynamodb_appends_per_transaction_count");
        double byAppendBefore = Api.metric("relay_ingest_publish_confirmations_total{by=\"append\"");

        List<Callable<Integer>> sends = new ArrayList<>();
        for (String conversation : conversations) {
            sends.add(() -> Api.send(alice, conversation, "first").statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : threads.invokeAll(sends)) {
                statuses.add(status.get());
            }
        }
        for (String conversation : conversations) {
            Api.send(alice, conversation, "second").then().statusCode(201);
        }

        assertThat(statuses).hasSize(10).containsOnly(201);
        StoredState stored = new StoredState(dynamoDb);
        for (String conversation : conversations) {
            assertThat(stored.seqs(conversation)).containsExactly(1L, 2L);
        }
        assertThat(Api.metric("relay_dynamodb_appends_per_transaction_count")).as("no group commit")
                .isEqualTo(groupedBefore);
        assertThat(Api.metric("relay_ingest_publish_confirmations_total{by=\"append\"")).as("no acks in appends")
                .isEqualTo(byAppendBefore);
    }
}
