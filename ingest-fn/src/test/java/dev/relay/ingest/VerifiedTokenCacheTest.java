package dev.relay.ingest;

import static dev.relay.ingest.Api.metric;
import static dev.relay.ingest.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;

import dev.relay.localstack.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * platform {@code VerifiedTokenCache}, through real requests: a repeated token is checked in full once,
 * a token differing in any byte is checked on its own, and a cached token is never answered from the
 * cache past its {@code exp}.
 */
@QuarkusTest
class VerifiedTokenCacheTest {

    private static final String CHECKED = "relay_auth_tokens_total{by=\"verifier\"";
    private static final String CACHED = "relay_auth_tokens_total{by=\"cache\"";

    @Test
    void aRepeatedTokenIsCheckedInFullOnce() {
        String token = LocalStack.shared().tokens().forUser(newUser("cached"));
        double checked = metric(CHECKED);
        double cached = metric(CACHED);
        for (int i = 0; i < 3; i++) {
            createConversation(token).then().statusCode(201);
        }
        assertThat(metric(CHECKED) - checked).isEqualTo(1);
        assertThat(metric(CACHED) - cached).isEqualTo(2);
    }

    @Test
    void aTokenWithAnotherSignatureIsRefusedAfterTheGenuineOneWasCached() {
        String token = LocalStack.shared().tokens().forUser(newUser("forged"));
        createConversation(token).then().statusCode(201);
        // A character well inside the signature: the last one may only carry base64 padding bits.
        int at = token.length() - 20;
        String forged = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        double checked = metric(CHECKED);
        createConversation(forged).then().statusCode(401).body("type", endsWith("/unauthorized"));
        assertThat(metric(CHECKED) - checked).isEqualTo(1);
    }

    @Test
    void aCachedTokenIsCheckedAgainOncePastItsExpiry() {
        String token = LocalStack.shared().tokens().forUser(newUser("expiring"), Duration.ofSeconds(2));
        createConversation(token).then().statusCode(201);
        // exp is in whole seconds: a second past it, whatever the truncation, the token has expired.
        Instant pastExpiry = Instant.now().plusMillis(3_100);
        await("the token to be past its expiry").atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(pastExpiry));
        double checked = metric(CHECKED);
        double cached = metric(CACHED);
        // Whatever the verifier answers now (it may allow clock skew), the answer is its own, not the cache's.
        createConversation(token);
        assertThat(metric(CACHED) - cached).isZero();
        assertThat(metric(CHECKED) - checked).isEqualTo(1);
    }

    private static io.restassured.response.Response createConversation(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("members", List.of(), "title", "token cache")).when().post("/v1/conversations");
    }
}
