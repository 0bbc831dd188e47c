package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.problem.ProblemType;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void noGeneratedRequestGetsAServerErrorAndEveryRefusalIsAProblem() throws Exception {
        String alice = newUser("fuzz");
        String bob = newUser("fuzz-peer");
        String conversation = createConversation(alice, bob);
        String token = Api.token(alice);
        List<FuzzRequest> requests = Combinators.combine(endpoints(conversation), bodies(), tokens(token), keys())
                .as(FuzzRequest::new)
                .sampleStream().limit(REQUESTS).toList();

        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger refusals = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> sent = new ArrayList<>();
            for (FuzzRequest request : requests) {
                sent.add(threads.submit(() -> {
                    Response answer = request.send();
                    if (answer.statusCode() >= 400) {
                        refusals.incrementAndGet();
                    }
                    String problem = problemViolation(answer);
                    if (problem != null) {
                        wrong.add(problem + " <- " + request);
                    }
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        }
        assertThat(wrong).as("answers that are 5xx or not problem+json").isEmpty();
        assertThat(refusals.get()).as("generated requests that were refused").isGreaterThan(REQUESTS * 9 / 10);
        Api.send(bob, conversation, Api.newKey(), "the conversation still works").then().statusCode(201);
    }

    /** Null when the answer is fine: 2xx, or 4xx problem+json with a slug of API.md matching its status. */
    static String problemViolation(Response answer) {
        int status = answer.statusCode();
        if (status < 400) {
            return null;
        }
        if (status >= 500) {
            return status + " " + answer.asString();
        }
        String type = answer.contentType();
        if (type == null || !type.startsWith(ProblemType.MEDIA_TYPE)) {
            return status + " with content type " + type;
        }
        String slug = answer.<String>path("type");
        for (ProblemType known : ProblemType.values()) {
            if ((ProblemType.TYPE_BASE + known.slug()).equals(slug)
                    && (known.status() == status || known == ProblemType.MALFORMED_REQUEST)) {
                return null;
            }
        }
        return status + " with type " + slug;
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

    /** Mostly the caller's valid token (so the body is what is judged), else a broken one. */
    static Arbitrary<String> tokens(String valid) {
        String[] parts = valid.split("\\.");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Arbitraries.just("Bearer " + valid)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(
                        "Bearer " + parts[0] + "." + parts[1] + ".AAAA",
                        "Bearer " + valid.substring(0, valid.length() / 2),
                        "Bearer eyJhbGciOiJub25lIn0." + parts[1] + ".",
                        "Bearer " + LocalStack.shared().tokens().forUser("not a user!"),
                        "Basic YWxpY2U6c2VjcmV0", "Bearer", "")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(30).map(s -> "Bearer " + s)));
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
