package dev.relay.testing;

import static org.hamcrest.Matchers.startsWith;

import io.restassured.RestAssured;
import java.time.Duration;
import org.awaitility.Awaitility;

/** The app under test (RestAssured's base URI and port) becoming ready, as an orchestrator would see it. */
public final class Readiness {

    private Readiness() {
    }

    /**
     * Returns once {@code /q/health/ready} answers 200; fails with the last answer after {@code
     * timeout}. A freshly started process on a loaded machine may report its first store check DOWN
     * (a check's own timeout), so readiness is waited for, never assumed at start.
     */
    public static void await(Duration timeout) {
        Awaitility.await("/q/health/ready to answer 200").atMost(timeout).ignoreExceptions()
                .until(Readiness::answer, startsWith("200 "));
    }

    private static String answer() {
        var answer = RestAssured.given().when().get("/q/health/ready");
        return answer.statusCode() + " " + answer.asString();
    }
}
