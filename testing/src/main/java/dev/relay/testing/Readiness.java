package dev.relay.testing;

import io.restassured.RestAssured;
import java.time.Duration;

/** The app under test (RestAssured's base URI and port) becoming ready, as an orchestrator would see it. */
public final class Readiness {

    private static final Duration POLL = Duration.ofMillis(200);

    private Readiness() {
    }

    /**
     * Returns once {@code /q/health/ready} answers 200; fails with the last answer after {@code
     * timeout}. A freshly started process on a loaded machine may report its first store check DOWN
     * (a check's own timeout), so readiness is waited for, never assumed at start.
     */
    public static void await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                var answer = RestAssured.given().when().get("/q/health/ready");
                if (answer.statusCode() == 200) {
                    return;
                }
                last = answer.statusCode() + " " + answer.asString();
            } catch (RuntimeException e) {
                last = e.toString();
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for readiness", e);
            }
        }
        throw new AssertionError("not ready within " + timeout + ": " + last);
    }
}
