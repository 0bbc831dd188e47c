package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.localstack.LocalStack;
import dev.relay.testing.FuzzRun;
import dev.relay.testing.FuzzTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a client sends to ingest-fn — malformed, mistyped, truncated, oversized JSON,
 * lone surrogates, junk after the value, bad tokens and keys — the answer is never a 5xx, and every
 * refusal is {@code application/problem+json} with a slug of API.md. Generated with jqwik's
 * arbitraries (1,000 requests) and sent over real HTTP to the app under test.
 */
@QuarkusTest
class RequestFuzzTest {

    private static final int REQUESTS = 1_000;
    private static final String BAD_SUBJECT = LocalStack.shared().tokens().forUser("not a user!");

    @Test
    void noGeneratedRequestGetsAServerErrorAndEveryRefusalIsAProblem() throws Exception {
        String alice = newUser("fuzz");
        String bob = newUser("fuzz-peer");
        String conversation = createConversation(alice, bob);
        String token = Api.token(alice);
        List<FuzzRequest> requests = Combinators.combine(endpoints(conversation), bodies(), FuzzTokens.around(token, BAD_SUBJECT), keys())
                .as(FuzzRequest::new)
                .sampleStream().limit(REQUESTS).toList();

        FuzzRun.Outcome run = FuzzRun.send(requests, FuzzRequest::send, 8);
        assertThat(run.violations()).as("answers that are 5xx or not problem+json").isEmpty();
        assertThat(run.refused()).as("generated requests that were refused").isGreaterThan(REQUESTS * 9 / 10);
        Api.send(bob, conversation, Api.newKey(), "the conversation still works").then().statusCode(201);
    }

    private static Arbitrary<String> endpoints(String conversation) {
        return Arbitraries.of(
                "POST /v1/conversations/" + conversation + "/messages",
                "POST /v1/conversations/" + conversation + "/messages",
                "POST /v1/conversations/" + conversation + "/messages",
                "POST /v1/conversations",
                "POST /v1/conversations/" + conversation + "/members",
                "POST /v1/dev/tokens",
                "POST /v1/conversations/bad:id/messages",
                "DELETE /v1/conversations/" + conversation + "/members/%F0%9F",
                "POST /v1/conversations/%ED%A0%80/messages");
    }

    /** Bodies that are almost right: a valid shape with one thing broken, or no JSON at all. */
    static Arbitrary<byte[]> bodies() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("\"hi\"", "42", "-1", "1.5", "1e400", "99999999999999999999", "true", "null", "[]", "{}",
                        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud83d\\ude00\"", "\"exactly-once\"", "\"at-most-once\"",
                        "[\"bob\"]", "[1,2]", "{\"a\":1}", "\"\"", "\"" + "x".repeat(70_000) + "\""),
                Arbitraries.strings().ofMaxLength(40).map(RequestFuzzTest::quoted),
                Arbitraries.integers().between(1, 1_000).map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)),
                Arbitraries.integers().between(1, 40).map(depth -> "[".repeat(depth) + "]".repeat(depth)));
        Arbitrary<String> field = Arbitraries.of("body", "qos", "meta", "members", "title", "userId", "body", "meta");
        Arbitrary<String> object = Combinators.combine(field, value, field, value)
                .as((f1, v1, f2, v2) -> "{\"" + f1 + "\":" + v1 + ",\"" + f2 + "\":" + v2 + "}");
        Arbitrary<String> suffix = Arbitraries.of("", "", " junk", "{}", " 1", ",", "}", "\u0000", "]");
        Arbitrary<String> text = Combinators.combine(object, suffix).as(String::concat);
        Arbitrary<String> broken = Combinators.combine(text, Arbitraries.integers().between(0, 60))
                .as((json, cut) -> json.substring(0, Math.min(json.length(), cut)));
        Arbitrary<byte[]> utf8 = Arbitraries.oneOf(text, text, broken,
                        Arbitraries.strings().ofMaxLength(60),
                        Arbitraries.of("", "null", "[]", "\"body\"", "{\"body\":\"x\"} junk", "{\"body\":\"x\",\"body\":\"y\"}"))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        Arbitrary<byte[]> cesu = Arbitraries.of(new byte[] {'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xED, (byte) 0xA0,
                (byte) 0x80, '"', '}'}, new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'});
        Arbitrary<byte[]> oversized = Arbitraries.of(("{\"body\":\"" + "y".repeat(100 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, utf8), net.jqwik.api.Tuple.of(3, raw),
                net.jqwik.api.Tuple.of(1, cesu), net.jqwik.api.Tuple.of(1, oversized));
    }

    static Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().ascii().ofMaxLength(140), Arbitraries.just(""));
    }

    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20 || Character.isSurrogate((char) c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.append('"').toString();
    }

    record FuzzRequest(String endpoint, byte[] body, String authorization, String key) {

        Response send() {
            RequestSpecification request = given().contentType("application/json").body(body);
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            if (!key.isEmpty() && key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                request.header("Idempotency-Key", key);
            }
            String[] parts = endpoint.split(" ", 2);
            return request.urlEncodingEnabled(false).request(parts[0], parts[1]);
        }

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return endpoint + " key=" + key + " auth=" + authorization.substring(0, Math.min(20, authorization.length()))
                    + " body=" + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }
}
