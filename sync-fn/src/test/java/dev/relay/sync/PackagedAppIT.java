package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.localstack.LocalStackResource;
import dev.relay.testing.Readiness;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.util.Map;
import java.util.UUID;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged artifact (the JVM jar here; the native binary under {@code -Pnative}, where
 * native-image exists) starts against the real servers, verifies tokens, reads the stores and
 * refuses what it must with problem+json.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)
class PackagedAppIT {

    private static final Duration READY = Duration.ofSeconds(90);

    @Test
    void thePackagedAppServesSyncAndRefusesStrangers() {
        Readiness.await(READY);
        Api newcomer = Api.as("packaged-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(newcomer.sync(Map.of(), null).messages()).isEmpty();
        newcomer.request().when().get("/v1/conversations/no-such-conversation/messages")
                .then().statusCode(404).contentType("application/problem+json");
        RestAssured.given().contentType("application/json").body("{}").when().post("/v1/sync")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
