package dev.relay.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.problem.ProblemType;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 on sync-fn: the same strict request rules as ingest-fn (platform StrictJsonCustomizer,
 * RequestSizeLimit, Caller). Each refusal is a 400/413/401 problem whose detail names the field
 * and the limit, acknowledges and marks nothing, and the caller's sync, history and inbox work
 * right after.
 */
@QuarkusTest
class RequestValidationTest {

    @Inject
    Chats chats;

    @Test
    void syncBodiesAreStrictJsonWithoutCoercionAndAcknowledgeNothingWhenRefused() {
        String member = Chats.user("member");
        String other = Chats.user("other");
        String id = chats.create(other, member);
        chats.send(id, other, "one");
        chats.send(id, other, "two");

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{\"cursors\":{\"" + id + "\":2},\"limit\":\"10\"}", "limit must be a whole number");
        refused.put("{\"cursors\":{\"" + id + "\":\"2\"}}", "cursors." + id + " must be a whole number");
        refused.put("{\"cursors\":{\"" + id + "\":2.0}}", "cursors." + id + " must be a whole number");
        refused.put("{\"cursors\":{\"" + id + "\":2e0}}", "cursors." + id + " must be a whole number");
        refused.put("{\"cursors\":{\"" + id + "\":99999999999999999999}}", "cursors." + id + " is a number out of range");
        refused.put("{\"cursors\":{\"" + id + "\":-1}}", "must be a seq >= 0");
        refused.put("{\"cursors\":{\"" + id + "\":2},\"limit\":10.5}", "limit must be a whole number");
        refused.put("{\"cursors\":{\"" + id + "\":2},\"limit\":99999999999}", "limit is a number out of range");
        refused.put("{\"cursors\":{\"" + id + "\":2},\"limit\":-5}", "limit must be between 1 and 1000");
        refused.put("{\"cursors\":{\"" + id + "\":2},\"limit\":true}", "limit must be a whole number");
        refused.put("{\"cursors\":{\"" + id + "\":2}} {}", "nothing may follow the JSON value");
        refused.put("{\"cursors\":{\"" + id + "\":2}} x", "nothing may follow the JSON value");
        refused.put("{\"cursors\":{\"" + id + "\":2},\"cursors\":{}}", "Duplicate field 'cursors'");
        refused.put("{\"cursors\":\"all\"}", "cursors must be a JSON object");
        refused.put("{\"cursors\":{\"x\\ud800\":1}}", "surrogate");
        refused.put("{\"ignored\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41), "nested deeper than 32");
        refused.forEach((body, detail) -> {
            Response answer = Api.as(member).request().contentType(ContentType.JSON).body(body).when().post("/v1/sync");
            assertProblem(answer, ProblemType.MALFORMED_REQUEST);
            assertThat(answer.<String>path("detail")).as(body).contains(detail);
        });

        assertThat(Api.as(member).inboxEntry(id).deliveredSeq()).as("nothing acknowledged by a refused call").isZero();
        assertStillWorks(member, id, 2);
    }

    @Test
    void readMarksAndHistoryQueriesTakeWholeNumbersInRangeOnly() {
        String member = Chats.user("member");
        String other = Chats.user("other");
        String id = chats.create(other, member);
        chats.send(id, other, "one");

        Map<String, String> marks = new LinkedHashMap<>();
        marks.put("{\"seq\":\"1\"}", "seq must be a whole number");
        marks.put("{\"seq\":1.0}", "seq must be a whole number");
        marks.put("{\"seq\":-1}", "seq must be a number >= 0");
        marks.put("{\"seq\":1} x", "nothing may follow the JSON value");
        marks.put("{\"seq\":18446744073709551616}", "seq is a number out of range");
        marks.put("{\"seq\":null}", "seq must be a number >= 0");
        marks.forEach((body, detail) -> {
            Response answer = Api.as(member).request().contentType(ContentType.JSON).body(body)
                    .when().post("/v1/conversations/" + id + "/read");
            assertProblem(answer, ProblemType.MALFORMED_REQUEST);
            assertThat(answer.<String>path("detail")).as(body).contains(detail);
        });
        assertThat(Api.as(member).inboxEntry(id).readSeq()).as("no mark moved by a refused call").isZero();

        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("?before=1.5", "before must be a whole number");
        queries.put("?after=%2B1", "after must be a whole number");
        queries.put("?after=1e2", "after must be a whole number");
        queries.put("?after=-1", "after must be a seq >= 0");
        queries.put("?before=0", "before must be a seq >= 1");
        queries.put("?after=99999999999999999999", "after is out of range");
        queries.put("?limit=99999999999", "limit is out of range");
        queries.put("?limit=0", "limit must be between 1 and 1000");
        queries.put("?limit=ten", "limit must be a whole number");
        queries.forEach((query, detail) -> {
            Response answer = Api.as(member).request().urlEncodingEnabled(false)
                    .when().get("/v1/conversations/" + id + "/messages" + query);
            assertProblem(answer, ProblemType.MALFORMED_REQUEST);
            assertThat(answer.<String>path("detail")).as(query).contains(detail);
        });
        Response inbox = Api.as(member).request().when().get("/v1/conversations?limit=1.5");
        assertProblem(inbox, ProblemType.MALFORMED_REQUEST);
        assertProblem(Api.as(member).request().when().get("/v1/conversations?cursor=not-issued"), ProblemType.MALFORMED_REQUEST);
        assertStillWorks(member, id, 1);
    }

    @Test
    void aRequestOverNinetySixKibIsTooLarge() {
        String member = Chats.user("member");
        String other = Chats.user("other");
        String id = chats.create(other, member);
        chats.send(id, other, "one");
        String padded = "{\"cursors\":{}}" + " ".repeat(97 * 1024);
        assertProblem(Api.as(member).request().contentType(ContentType.JSON).body(padded).when().post("/v1/sync"),
                ProblemType.PAYLOAD_TOO_LARGE);
        assertProblem(Api.as(member).request().contentType(ContentType.JSON).body("{\"seq\":1}" + " ".repeat(97 * 1024))
                .when().post("/v1/conversations/" + id + "/read"), ProblemType.PAYLOAD_TOO_LARGE);
        assertThat(Api.as(member).inboxEntry(id).readSeq()).isZero();
        assertStillWorks(member, id, 1);
    }

    @Test
    void aTokenWhoseSubjectIsNotAUserIdIsUnauthorized() {
        String token = LocalStack.shared().tokens().forUser("not a user id!");
        for (Response answer : new Response[] {
                given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").when().post("/v1/sync"),
                given().auth().oauth2(token).when().get("/v1/conversations"),
                given().auth().oauth2(token).when().get("/v1/conversations/c1/messages"),
                given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"seq\":1}").when().post("/v1/conversations/c1/read")}) {
            assertProblem(answer, ProblemType.UNAUTHORIZED);
        }
    }

    private void assertStillWorks(String member, String conversationId, int messages) {
        assertThat(Api.as(member).sync(Map.of(), null).messages()).hasSize(messages);
        assertThat(Api.as(member).history(conversationId, "").messages()).hasSize(messages);
        assertThat(Api.as(member).inboxEntry(conversationId).lastSeq()).isEqualTo(messages);
    }

    static void assertProblem(Response response, ProblemType expected) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(expected.status());
        assertThat(response.contentType()).startsWith(ProblemType.MEDIA_TYPE);
        assertThat(response.<String>path("type")).isEqualTo(ProblemType.TYPE_BASE + expected.slug());
        assertThat(response.<String>path("detail")).isNotBlank().isNotEqualTo("HTTP 400 Bad Request");
    }
}
