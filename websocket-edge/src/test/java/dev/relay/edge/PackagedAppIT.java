package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.localstack.LocalStack;
import dev.relay.localstack.LocalStackResource;
import dev.relay.testing.Readiness;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged artifact (the JVM jar here; the native binary under {@code -Pnative}, where
 * native-image exists) starts against the real servers, accepts an authenticated stream, answers
 * its frames and refuses a bad token at the upgrade.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)
class PackagedAppIT {

    private static final Duration READY = Duration.ofSeconds(90);

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void thePackagedAppHoldsAStreamAndRefusesABadToken() {
        Readiness.await(READY);
        int port = RestAssured.port;
        String token = LocalStack.shared().tokens().forUser(Fixtures.unique("packaged"));
        try (StreamClient client = StreamClient.connect(port, token, "it")) {
            assertThat(client.next("hello", WAIT).path("heartbeatSeconds").asInt()).isPositive();
            client.send("{\"type\":\"nonsense\"}");
            assertThat(client.next("error", WAIT).path("code").asText()).isNotBlank();
            client.ping();
            assertThat(client.next("pong", WAIT).path("type").asText()).isEqualTo("pong");
        }
        assertThat(StreamClient.rejectedStatus(port, "not-a-token", "it", false)).isEqualTo(401);
    }
}
