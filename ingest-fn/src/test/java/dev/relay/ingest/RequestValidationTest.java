package dev.relay.ingest;

import static dev.relay.ingest.Api.as;
import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static dev.relay.ingest.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.wire.Message;
import dev.relay.platform.dynamo.LogStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issue 15 on ingest-fn: what the strict request rules refuse (API.md "Send" limits), that each
 * refusal is a 400/413 problem whose detail names the field and the limit, that nothing was
 * written, and that the conversation stays readable and writable for its members afterwards
 * (the log read back the way sync-fn reads it, and a member's next send).
 */
@QuarkusTest
class RequestValidationTest {

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    LogStore log;

    @Test
    void metaNestedDeeperThanEightLevelsIsRefusedAndTheVictimCanStillReadAndSend() {
        String mallory = newUser("mallory");
        String victim = newUser("victim");
        String id = createConversation(mallory, victim);

        Response deepest = send(mallory, id, "{\"body\":\"x\",\"meta\":" + nested(998) + "}");
        assertProblem(deepest, ProblemType.MALFORMED_REQUEST);
        assertThat(deepest.<String>path("detail")).contains("nested deeper than 32");
        Response nine = send(mallory, id, "{\"body\":\"x\",\"meta\":" + nested(9) + "}");
        assertProblem(nine, ProblemType.MALFORMED_REQUEST);
        assertThat(nine.<String>path("detail")).contains("meta", "deeper than 8 levels");
        Response arrays = send(mallory, id, "{\"body\":\"x\",\"meta\":{\"a\":" + "[".repeat(8) + "]".repeat(8) + "}}");
        assertProblem(arrays, ProblemType.MALFORMED_REQUEST);
        assertThat(new StoredState(dynamoDb).seqs(id)).as("nothing written").isEmpty();

        send(mallory, id, "{\"body\":\"eight\",\"meta\":" + nested(8) + "}").then().statusCode(201);
        assertReadableAndWritable(id, victim, 1);
    }

    @Test
    void metaOverFourKibOfJsonIsRefusedAndOneAtTheLimitIsStored() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice, bob);
        // {"p":"…"} is 8 bytes around the text.
        Response over = send(alice, id, "{\"body\":\"x\",\"meta\":{\"p\":\"" + "é".repeat(2045) + "\"}}");
        assertProblem(over, ProblemType.MALFORMED_REQUEST);
        assertThat(over.<String>path("detail")).isEqualTo("meta is 4098 bytes of JSON; at most 4096 are allowed");
        Response escaped = send(alice, id, "{\"body\":\"x\",\"meta\":{\"p\":\"" + "\\n".repeat(2045) + "\"}}");
        assertProblem(escaped, ProblemType.MALFORMED_REQUEST);
        assertProblem(send(alice, id, "{\"body\":\"x\",\"meta\":[1]}"), ProblemType.MALFORMED_REQUEST);
        assertProblem(send(alice, id, "{\"body\":\"x\",\"meta\":{\"n\":1e400}}"), ProblemType.MALFORMED_REQUEST);
        assertThat(new StoredState(dynamoDb).seqs(id)).isEmpty();

        send(alice, id, "{\"body\":\"x\",\"meta\":{\"p\":\"" + "é".repeat(2044) + "\"}}").then().statusCode(201);
        assertReadableAndWritable(id, bob, 1);
    }

    @Test
    void aLoneSurrogateIsRefusedInBodyMetaTitleAndMembers() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String id = createConversation(alice, bob);

        for (String body : new String[] {"{\"body\":\"x\\ud800y\"}", "{\"body\":\"\\udc00\"}", "{\"body\":\"\\udc00\\ud800\"}",
                "{\"body\":\"ok\",\"meta\":{\"k\":\"\\ud800\"}}", "{\"body\":\"ok\",\"meta\":{\"\\ud800\":1}}",
                "{\"body\":\"ok\",\"meta\":{\"k\":[\"fine\",{\"deeper\":\"\\udfff\"}]}}"}) {
            Response answer = send(alice, id, body);
            assertProblem(answer, ProblemType.MALFORMED_REQUEST);
            assertThat(answer.<String>path("detail")).as(body).containsAnyOf("not valid Unicode text", "surrogate");
        }
        Response body = send(alice, id, "{\"body\":\"x\\ud800y\"}");
        assertThat(body.<String>path("detail")).isEqualTo("body is not valid Unicode text (a lone UTF-16 surrogate at index 1)");
        // The same surrogate encoded straight into the bytes (CESU-8), not escaped: not UTF-8 at all.
        byte[] cesu = concat("{\"body\":\"x".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "\"}".getBytes(StandardCharsets.UTF_8));
        assertProblem(as(alice).header("Idempotency-Key", newKey()).body(cesu)
                .when().post("/v1/conversations/{id}/messages", id), ProblemType.MALFORMED_REQUEST);

        Response title = as(alice).body("{\"members\":[],\"title\":\"trip \\ud83d\"}").when().post("/v1/conversations");
        assertProblem(title, ProblemType.MALFORMED_REQUEST);
        assertThat(title.<String>path("detail")).startsWith("title is not valid Unicode");
        assertProblem(as(alice).body("{\"members\":[\"\\ud800\"]}").when().post("/v1/conversations"),
                ProblemType.MALFORMED_REQUEST);
        assertProblem(as(alice).body("{\"userId\":\"\\ud800\"}").when().post("/v1/conversations/{id}/members", id),
                ProblemType.MALFORMED_REQUEST);
        assertThat(new StoredState(dynamoDb).seqs(id)).isEmpty();
        assertThat(StoredState.number(new StoredState(dynamoDb).conversation(id), Conversations.MEMBER_COUNT)).isEqualTo(2);

        // A proper pair (an emoji) is text like any other.
        send(alice, id, "{\"body\":\"\\ud83d\\ude00\",\"meta\":{\"\\ud83d\\ude00\":\"\\ud83d\\ude00\"}}").then().statusCode(201);
        assertThat(log.range(id, 1, 10).getFirst().body()).isEqualTo("\ud83d\ude00");
        assertReadableAndWritable(id, bob, 1);
    }

    @Test
    void nothingMayFollowTheJsonValueAndNoFieldIsCoerced() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        String id = createConversation(alice, bob);

        Map<String, String> sends = Map.ofEntries(
                Map.entry("{\"body\":\"x\"} junk", "nothing may follow the JSON value"),
                Map.entry("{\"body\":\"x\"}{\"body\":\"y\"}", "nothing may follow the JSON value"),
                Map.entry("{\"body\":\"x\"} 1", "nothing may follow the JSON value"),
                Map.entry("{\"body\":\"x\",\"body\":\"y\"}", "Duplicate field 'body'"),
                Map.entry("{\"body\":42}", "body must be a string"),
                Map.entry("{\"body\":true}", "body must be a string"),
                Map.entry("{\"body\":4.5}", "body must be a string"),
                Map.entry("{\"body\":[\"x\"]}", "body must be a string"),
                Map.entry("{\"body\":\"x\",\"qos\":1}", "qos: unknown qos '1': expected exactly-once"),
                Map.entry("{\"body\":\"x\",\"qos\":\"twice\"}", "qos: unknown qos 'twice'"));
        sends.forEach((body, detail) -> {
            Response answer = send(alice, id, body);
            assertProblem(answer, ProblemType.MALFORMED_REQUEST);
            assertThat(answer.<String>path("detail")).as(body).contains(detail);
        });

        Map<String, String> creates = Map.of(
                "{\"members\":[],\"title\":\"t\"} x", "nothing may follow",
                "{\"members\":\"bob\"}", "members must be a JSON array",
                "{\"members\":[1]}", "members[0] must be a string",
                "{\"title\":5}", "title must be a string",
                "[]", "must be a JSON object");
        creates.forEach((body, detail) -> {
            Response answer = as(alice).body(body).when().post("/v1/conversations");
            assertProblem(answer, ProblemType.MALFORMED_REQUEST);
            assertThat(answer.<String>path("detail")).as(body).contains(detail);
        });
        for (String body : new String[] {"{\"userId\":7}", "{\"userId\":\"" + carol + "\"} x", "{\"userId\":[\"" + carol + "\"]}"}) {
            Response answer = as(alice).body(body).when().post("/v1/conversations/{id}/members", id);
            assertProblem(answer, ProblemType.MALFORMED_REQUEST);
            assertThat(answer.<String>path("detail")).as(body).containsAnyOf("userId", "nothing may follow the JSON value");
        }

        StoredState stored = new StoredState(dynamoDb);
        assertThat(stored.seqs(id)).isEmpty();
        assertThat(stored.member(id, carol)).isEmpty();
        assertThat(StoredState.number(stored.conversation(id), Conversations.MEMBER_COUNT)).isEqualTo(2);
        assertReadableAndWritable(id, bob, 0);
    }

    @Test
    void anyRequestOverNinetySixKibIsTooLarge() {
        String alice = newUser("alice");
        String id = createConversation(alice);
        String padded = "{\"members\":[],\"title\":\"t\"}" + " ".repeat(97 * 1024);
        assertProblem(as(alice).body(padded).when().post("/v1/conversations"), ProblemType.PAYLOAD_TOO_LARGE);
        assertProblem(as(alice).body("{\"userId\":\"bob\"}" + " ".repeat(97 * 1024))
                .when().post("/v1/conversations/{id}/members", id), ProblemType.PAYLOAD_TOO_LARGE);
        assertThat(StoredState.number(new StoredState(dynamoDb).conversation(id), Conversations.MEMBER_COUNT)).isEqualTo(1);
    }

    /** The log reads back (as sync-fn reads it) with {@code stored} messages, and a member can still send. */
    private void assertReadableAndWritable(String conversationId, String member, int stored) {
        List<Message> messages = log.range(conversationId, 1, 100);
        assertThat(messages).hasSize(stored);
        Api.send(member, conversationId, newKey(), "still here").then().statusCode(201);
        assertThat(log.range(conversationId, 1, 100)).hasSize(stored + 1);
        assertThat(new StoredState(dynamoDb).lastSeq(conversationId)).isEqualTo(stored + 1);
    }

    private static Response send(String sender, String conversationId, String json) {
        return as(sender).header("Idempotency-Key", newKey()).body(json)
                .when().post("/v1/conversations/{id}/messages", conversationId);
    }

    /** An object {@code levels} deep: {"a":{"a":…{}…}}. */
    static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
