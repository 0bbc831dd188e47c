package dev.relay.ingest;

import static org.hamcrest.Matchers.equalTo;

import dev.relay.localstack.LocalStackResource;
import dev.relay.testing.Readiness;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged artifact (the JVM jar here; the native binary under {@code -Pnative}, where
 * native-image exists) starts against the real servers, stores a send and answers its replay.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)
class PackagedAppIT {

    private static final Duration READY = Duration.ofSeconds(90);

    @Test
    void thePackagedAppStoresASendOnceAndAnswersItsReplay() {
        Readiness.await(READY);
        String alice = Api.newUser("packaged");
        String bob = Api.newUser("packaged-peer");
        String conversation = Api.createConversation(alice, bob);
        String key = Api.newKey();
        long seq = Api.send(alice, conversation, key, "from the packaged jar").then().statusCode(201)
                .extract().jsonPath().getLong("seq");
        Api.send(alice, conversation, key, "from the packaged jar").then().statusCode(200).body("seq", equalTo((int) seq));
        Api.send(bob, "no-such-conversation", Api.newKey(), "x").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
