package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.localstack.LocalStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated abuse of one edge node (a process from the packaged jar): malformed client frames and
 * bad tokens. Invariants: a bad frame is answered with {@code error} and the connection stays usable,
 * until more than {@code max-bad-frames} (10) close it with 4008, the documented code; nothing else
 * ever closes it. A bad token's upgrade is refused with 401 (or 429), never a 5xx.
 */
class StreamFuzzIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MAX_BAD_FRAMES = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final AtomicInteger FRAMES_SENT = new AtomicInteger();

    private static EdgeNodeProcess node;

    @BeforeContainer
    static void startNode() {
        node = EdgeNodeProcess.start(Fixtures.unique("edge-fuzz"));
        node.awaitReady();
    }

    @AfterContainer
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        assertThat(FRAMES_SENT.get()).as("malformed frames sent").isGreaterThanOrEqualTo(1000);
    }

    @Property(tries = 160)
    void malformedFramesGetErrorFramesAndOnlyTooManyCloseTheConnection(
            @ForAll("malformedFrameLists") List<String> frames) {
        try (StreamClient client = connect(Fixtures.unique("fuzz"))) {
            client.next("hello", WAIT);
            for (int i = 0; i < frames.size(); i++) {
                client.send(frames.get(i));
                FRAMES_SENT.incrementAndGet();
                if (i < MAX_BAD_FRAMES) {
                    JsonNode answer = client.next("error", WAIT);
                    assertThat(answer.path("code").asText()).isIn("malformed-frame", "malformed-ack");
                }
            }
            if (frames.size() > MAX_BAD_FRAMES) {
                assertThat(client.awaitClose(WAIT)).as("close after %d bad frames", frames.size()).isEqualTo(4008);
            } else {
                client.ping();
                client.next("pong", WAIT);
                assertThat(client.closed()).isFalse();
            }
        }
    }

    @Property(tries = 150)
    void badTokensAreRefusedWith401NeverA5xx(@ForAll("badTokens") String token, @ForAll boolean inQuery) {
        int status = upgradeStatus(token, inQuery);
        assertThat(status).as("upgrade with %s", token).isIn(401, 429);
    }

    @Provide
    Arbitrary<List<String>> malformedFrameLists() {
        return malformedFrame().list().ofMinSize(5).ofMaxSize(14);
    }

    /** Text a client may send that is not a valid frame: never a ping, never a well-formed ack. */
    private static Arbitrary<String> malformedFrame() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(200)
                .filter(s -> !s.contains("ping") && !s.contains("ack"));
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.just("null"), Arbitraries.just("true"), Arbitraries.just("[]"), Arbitraries.just("{}"),
                Arbitraries.longs().map(n -> Long.toString(n)), Arbitraries.doubles().map(d -> Double.toString(d)),
                text.map(s -> StreamClient.JSON.valueToTree(s).toString()));
        Arbitrary<String> badSeq = Arbitraries.oneOf(
                Arbitraries.just("\"1\""), Arbitraries.just("1.5"), Arbitraries.just("0"), Arbitraries.just("-3"),
                Arbitraries.just("null"), Arbitraries.just("true"), Arbitraries.just("{}"), Arbitraries.just("[1]"),
                Arbitraries.just("1e3"), Arbitraries.just("123456789012345678901234567890"));
        Arbitrary<String> badConversation = Arbitraries.oneOf(
                Arbitraries.just("5"), Arbitraries.just("null"), Arbitraries.just("[]"), Arbitraries.just("\"\""),
                Arbitraries.just("\"bad id!\""), text.map(s -> StreamClient.JSON.valueToTree(s + "*").toString()));
        Arbitrary<String> badAck = Combinators.combine(badConversation, badSeq, Arbitraries.integers().between(0, 2))
                .as((conversation, seq, which) -> switch (which) {
                    case 0 -> "{\"type\":\"ack\",\"conversationId\":" + conversation + ",\"seq\":" + seq + "}";
                    case 1 -> "{\"type\":\"ack\",\"conversationId\":\"c1\",\"seq\":" + seq + "}";
                    default -> "{\"type\":\"ack\",\"conversationId\":" + conversation + ",\"seq\":1}";
                });
        Arbitrary<String> badType = Arbitraries.oneOf(scalar, text.map(s -> StreamClient.JSON.valueToTree(s + "?").toString()))
                .map(type -> "{\"type\":" + type + "}");
        Arbitrary<String> trailing = Combinators.combine(Arbitraries.of("{\"type\":\"ping\"}", "{\"type\":\"ack\",\"conversationId\":\"c1\",\"seq\":1}"),
                Arbitraries.of(" x", "}", "{}", ",", "[", " 1", "\"")).as(String::concat);
        Arbitrary<String> nested = Arbitraries.integers().between(1, 3000)
                .map(depth -> "[".repeat(depth) + "]".repeat(depth % 2 == 0 ? depth : 0));
        return Arbitraries.oneOf(text, scalar, badAck, badType, trailing, nested);
    }

    @Provide
    Arbitrary<String> badTokens() {
        String valid = LocalStack.shared().tokens().forUser(Fixtures.unique("victim"));
        String expired = LocalStack.shared().tokens().forUser(Fixtures.unique("late"), Duration.ofMinutes(-5));
        int lastDot = valid.lastIndexOf('.');
        Arbitrary<String> garbage = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(300);
        Arbitrary<String> truncated = Arbitraries.integers().between(1, valid.length() - 1).map(n -> valid.substring(0, n));
        Arbitrary<String> forged = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(4).ofMaxLength(40)
                .map(sig -> valid.substring(0, lastDot + 1) + sig);
        Arbitrary<String> swappedParts = Arbitraries.just(valid.substring(lastDot + 1) + "." + valid.substring(0, lastDot));
        Arbitrary<String> dots = Arbitraries.of(".", "..", "...", "a.b.c", "e30.e30.", "eyJhbGciOiJub25lIn0.e30.");
        return Arbitraries.oneOf(garbage, truncated, forged, swappedParts, dots, Arbitraries.just(expired));
    }

    private static StreamClient connect(String user) {
        return StreamClient.connect(node.port(), LocalStack.shared().tokens().forUser(user), null);
    }

    /** The HTTP status of the refused upgrade (the test fails when it is accepted). */
    private static int upgradeStatus(String token, boolean inQuery) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        String query = "";
        if (inQuery) {
            query = "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        } else {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            WebSocket socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + node.port() + "/v1/stream" + query),
                    new WebSocket.Listener() { }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            socket.abort();
            throw new AssertionError("upgrade accepted with token " + token);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            assertThat(cause).as("upgrade failure with %s", token).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) cause).getResponse().statusCode();
        } catch (Exception e) {
            throw new AssertionError("no answer to the upgrade with " + token, e);
        }
    }
}
