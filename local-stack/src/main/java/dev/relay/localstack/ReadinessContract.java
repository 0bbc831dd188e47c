package dev.relay.localstack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every app's {@code /q/health/ready} promises: UP while all of its stores answer, DOWN (503)
 * naming the store while one is stopped, UP again once it is back. An app's {@code @QuarkusTest}
 * extends this and names the servers it depends on.
 */
public abstract class ReadinessContract {

    private static final Duration TRANSITION = Duration.ofSeconds(60);

    /** Names of the servers the app needs ({@code kafka}, {@code dynamodb}, {@code redis}). */
    protected abstract List<String> stores();

    @Test
    void readyWhileEveryStoreAnswers() {
        awaitStatus(200, () -> given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")));
    }

    @Test
    void notReadyWhileAStoreIsDownAndReadyOnceItIsBack() {
        LocalStack stack = LocalStack.shared();
        for (String store : stores()) {
            LocalServer server = stack.servers().stream().filter(s -> s.name().equals(store)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no server named " + store));
            server.stop();
            try {
                awaitStatus(503, () -> given().when().get("/q/health/ready").then().statusCode(503)
                        .body("status", equalTo("DOWN"))
                        .body("checks.findAll { it.status == 'DOWN' }.name", hasItem(org.hamcrest.Matchers.containsString(checkName(store)))));
            } finally {
                stack.restart(server);
            }
            awaitStatus(200, () -> given().when().get("/q/health/ready").then().statusCode(200));
        }
    }

    /** The health check name that reports a store; an app may override when it names checks otherwise. */
    protected String checkName(String store) {
        return switch (store) {
            case "redis" -> "Redis";
            default -> store;
        };
    }

    /** Re-runs {@code probe} until its assertions hold (a refused connection is a retry too). */
    private static void awaitStatus(int status, Supplier<ValidatableResponse> probe) {
        await("/q/health/ready to answer " + status).atMost(TRANSITION).ignoreExceptions().untilAsserted(probe::get);
    }
}
