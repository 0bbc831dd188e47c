package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.Qos;
import dev.relay.ingest.append.AppendOutcome;
import dev.relay.ingest.append.AppendRequest;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.platform.dynamo.TableNames;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Lambda way of repairing (infra/terraform: an EventBridge schedule posts to
 * /internal/repair-sweep): with the trigger enabled the in-process schedule is paused, a request
 * without the trigger header is 404, and one with it runs a sweep that publishes a message another
 * process committed and never handed to Kafka.
 */
@QuarkusTest
@TestProfile(RepairTriggerTest.Triggered.class)
class RepairTriggerTest {

    public static final class Triggered implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.ingest.repair-trigger.enabled", "true", "relay.ingest.repair.grace", "0s");
        }
    }

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    TableNames tables;

    @Inject
    IngestConfig config;

    @Inject
    Scheduler scheduler;

    @Test
    void theScheduleIsPausedAndATriggeredSweepPublishesWhatWasLeftOver() {
        assertThat(scheduler.getScheduledJobs())
                .filteredOn(job -> job.getMethodDescription().endsWith("RepairSweep#run"))
                .singleElement()
                .satisfies(job -> assertThat(scheduler.isPaused(job.getId())).isTrue());

        given().when().post("/internal/repair-sweep").then().statusCode(404);
        given().header("x-relay-trigger", "something-else").when().post("/internal/repair-sweep").then().statusCode(404);

        String alice = newUser("alice");
        String orphaned = createConversation(alice);
        AppendOutcome orphan = OtherProcess.appender(dynamoDb, tables, 4, Duration.ofSeconds(25),
                    config.append().retryBudget())
                .append(new AppendRequest(orphaned, alice, "committed, never published", null, Qos.AT_LEAST_ONCE, null));
        assertThat(orphan).isInstanceOf(AppendOutcome.Committed.class);

        int published = given().header("x-relay-trigger", "repair-sweep").when().post("/internal/repair-sweep")
                .then().statusCode(200).extract().path("published");
        assertThat(published).isPositive();
        assertThat(TopicReader.seqs(TopicReader.await(Topics.MESSAGES, orphaned, Duration.ofSeconds(20),
                values -> !values.isEmpty()))).containsExactly(1L);
    }
}
