package dev.relay.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.localstack.LocalStack;
import dev.relay.testing.FuzzRun;
import dev.relay.testing.FuzzTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a client sends to sync-fn — malformed, mistyped, truncated or oversized sync
 * and read bodies, odd query numbers and cursors, bad tokens — the answer is never a 5xx, and every
 * refusal is {@code application/problem+json} with a slug of API.md. Generated with jqwik's
 * arbitraries (1,000 requests) and sent over real HTTP to the app under test; the member's sync,
 * history and inbox work afterwards.
 */
@QuarkusTest
class RequestFuzzTest {

    private static final int REQUESTS = 1_000;
    private static final String BAD_SUBJECT = LocalStack.shared().tokens().forUser("not a user!");

    @Inject
    Chats chats;

    @Test
    void noGeneratedRequestGetsAServerErrorAndEveryRefusalIsAProblem() throws Exception {
        String member = Chats.user("fuzz");
        String other = Chats.user("fuzz-peer");
        String conversation = chats.create(other, member);
        chats.send(conversation, other, "one");
        String token = LocalStack.shared().tokens().forUser(member);
        List<FuzzRequest> requests = Combinators.combine(endpoints(conversation), bodies(conversation), FuzzTokens.around(token, BAD_SUBJECT))
                .as(FuzzRequest::new)
                .sampleStream().limit(REQUESTS).toList();

        FuzzRun.Outcome run = FuzzRun.send(requests, FuzzRequest::send, 8);
        assertThat(run.violations()).as("answers that are 5xx or not problem+json").isEmpty();
        assertThat(run.refused()).as("generated requests that were refused").isGreaterThan(REQUESTS / 2);
        Api api = Api.as(member);
        assertThat(api.sync(Map.of(), null).messages()).hasSize(1);
        assertThat(api.history(conversation, "").messages()).hasSize(1);
        assertThat(api.inboxEntry(conversation).lastSeq()).isEqualTo(1);
    }

    private static Arbitrary<String> endpoints(String conversation) {
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.of("1", "0", "-1", "1.5", "1e3", "%2B1", "0x10", "99999999999999999999", "9223372036854775807",
                        "", "ten", "%ED%A0%80", "1%00"),
                Arbitraries.longs().map(n -> Long.toString(n)));
        Arbitrary<String> param = Arbitraries.of("before", "after", "limit", "cursor");
        Arbitrary<String> history = Combinators.combine(param, number, param, number)
                .as((p1, v1, p2, v2) -> "GET /v1/conversations/" + conversation + "/messages?" + p1 + "=" + v1 + "&" + p2 + "=" + v2);
        Arbitrary<String> inbox = Combinators.combine(param, Arbitraries.oneOf(number,
                        Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-', '_').ofMaxLength(40)))
                .as((p, v) -> "GET /v1/conversations?" + p + "=" + v);
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("POST /v1/sync")),
                Tuple.of(3, Arbitraries.just("POST /v1/conversations/" + conversation + "/read")),
                Tuple.of(1, Arbitraries.of("POST /v1/conversations/bad:id/read", "POST /v1/conversations/%ED%A0%80/read",
                        "GET /v1/conversations/bad:id/messages")),
                Tuple.of(3, history), Tuple.of(2, inbox));
    }

    /** Sync and read bodies that are almost right, or not JSON at all. */
    static Arbitrary<byte[]> bodies(String conversation) {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("1", "0", "-1", "1.5", "1e400", "1e2", "99999999999999999999", "\"1\"", "true", "null", "[]", "{}",
                        "\"\\ud800\"", "{\"" + conversation + "\":1}", "{\"" + conversation + "\":\"1\"}", "{\"" + conversation + "\":99}",
                        "{\"\\ud800\":1}", "{\"bad id\":1}", "{\"c\":-5}", "[1,2]"),
                Arbitraries.longs().map(n -> Long.toString(n)),
                Arbitraries.integers().between(1, 1_000).map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
        Arbitrary<String> field = Arbitraries.of("cursors", "limit", "seq", "cursors", "seq");
        Arbitrary<String> object = Combinators.combine(field, value, field, value)
                .as((f1, v1, f2, v2) -> "{\"" + f1 + "\":" + v1 + ",\"" + f2 + "\":" + v2 + "}");
        Arbitrary<String> single = Combinators.combine(field, value).as((f, v) -> "{\"" + f + "\":" + v + "}");
        Arbitrary<String> suffix = Arbitraries.of("", "", " junk", "{}", " 1", ",", "}", "]");
        Arbitrary<String> text = Combinators.combine(Arbitraries.oneOf(object, single), suffix).as(String::concat);
        Arbitrary<String> broken = Combinators.combine(text, Arbitraries.integers().between(0, 40))
                .as((json, cut) -> json.substring(0, Math.min(json.length(), cut)));
        Arbitrary<byte[]> utf8 = Arbitraries.oneOf(text, text, broken, Arbitraries.strings().ofMaxLength(60),
                        Arbitraries.of("", "null", "[]", "{}"))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        Arbitrary<byte[]> oversized = Arbitraries.of(("{\"cursors\":{}}" + " ".repeat(100 * 1024)).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(Tuple.of(12, utf8), Tuple.of(3, raw), Tuple.of(1, oversized));
    }

    record FuzzRequest(String endpoint, byte[] body, String authorization) {

        Response send() {
            RequestSpecification request = given().urlEncodingEnabled(false);
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            String[] parts = endpoint.split(" ", 2);
            if (parts[0].equals("POST")) {
                request.contentType("application/json").body(body);
            }
            return request.request(parts[0], parts[1]);
        }

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return endpoint + " auth=" + authorization.substring(0, Math.min(20, authorization.length()))
                    + " body=" + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }
}
