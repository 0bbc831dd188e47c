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

        // A refused send wrote nothing: not its message, not its key, and at-most-once signals are limited too.
        String key = newKey();
        Response refused = Api.send(alice, id, key, "too soon");
        assertRetryable(refused, ProblemType.RATE_LIMITED);
        assertRetryable(as(alice).body(Map.of("body", "typing", "qos", "at-most-once"))
                .when().post("/v1/conversations/{id}/messages", id), ProblemType.RATE_LIMITED);
        assertThat(stored.seqs(id)).isEqualTo(committed);
        assertThat(stored.lastSeq(id)).isEqualTo(committed.size());
        assertThat(stored.idempotencyRecordExists(alice, key)).isFalse();

        // The bucket is per user: bob is not limited by alice's sends.
        Api.send(bob, id, newKey(), "my own bucket").then().statusCode(201);
    }
}
