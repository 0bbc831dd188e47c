package dev.relay.fanout;

import static io.restassured.RestAssured.given;

import dev.relay.localstack.LocalStack;
import dev.relay.localstack.LocalStackResource;
import dev.relay.testing.Readiness;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged artifact (the JVM jar here; the native binary under {@code -Pnative}, where
 * native-image exists) starts against the real servers, is ready (Kafka, Redis, DynamoDB, its
 * consumers) and guards its operator endpoint with the same JWTs as every app.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)
class PackagedAppIT {

    private static final Duration READY = Duration.ofSeconds(90);

    private static final String REPLAY = "/v1/admin/dead-letters/replay";

    @Test
    void thePackagedAppIsReadyAndGuardsItsOperatorEndpoint() {
        Readiness.await(READY);
        given().when().post(REPLAY).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(LocalStack.shared().tokens().forUser("packaged-visitor")).when().post(REPLAY)
                .then().statusCode(404).contentType("application/problem+json");
    }
}
