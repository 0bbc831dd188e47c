package dev.relay.client;

import static dev.relay.client.ScriptedTransport.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The offline queue's retries, with a scripted transport: no server needed. */
class SendRetryTest {

    private static final String STORED = """
            {"messageId":"m1","conversationId":"c1","seq":7,"senderId":"a","sentAt":"2026-01-01T00:00:00Z","qos":"exactly-once"}""";

    private static RelayClient client(ScriptedTransport transport) {
        return RelayClient.builder().ingestUrl("http://ingest").syncUrl("http://sync").edgeUrl("ws://edge")
                .token("x.e30.y").httpTransport(transport)
                .sendRetry(Duration.ofMillis(1), Duration.ofMillis(2), Integer.MAX_VALUE).build();
    }

    private static ScriptedTransport scripted(List<Supplier<CompletableFuture<HttpResponse<String>>>> answers) {
        Deque<Supplier<CompletableFuture<HttpResponse<String>>>> queue = new ArrayDeque<>(answers);
        return new ScriptedTransport(call -> queue.poll().get());
    }

    private static String problem(String slug) {
        return "{\"type\":\"https://relay.dev/problems/" + slug + "\",\"status\":0}";
    }

    @Test
    void unavailableRateLimitedInProgressAndNetworkErrorsAreRetriedWithTheSameIdempotencyKey() {
        ScriptedTransport transport = scripted(List.of(
                () -> answer(503, problem("unavailable"), Map.of("Retry-After", "0")),
                () -> answer(429, problem("rate-limited"), Map.of("Retry-After", "0")),
                ScriptedTransport::networkError,
                () -> answer(409, problem("request-in-progress"), Map.of("Retry-After", "0")),
                () -> answer(200, STORED, Map.of("Idempotent-Replayed", "true"))));
        try (RelayClient client = client(transport)) {
            Sent sent = client.send("c1", "hi").join();
            assertThat(transport.calls).hasSize(5);
            assertThat(transport.calls).extracting(c -> c.header("Idempotency-Key")).containsOnly(sent.idempotencyKey());
            assertThat(sent.idempotencyKey()).isNotBlank();
            assertThat(sent.seq()).isEqualTo(7);
            assertThat(sent.replayed()).isTrue();
            assertThat(transport.calls).extracting(ScriptedTransport.Call::body).containsOnly(transport.calls.getFirst().body());
            assertThat(transport.calls.getFirst().body()).contains("\"body\":\"hi\"", "\"qos\":\"exactly-once\"");
        }
    }

    @Test
    void aClientMistakeIsNotRetriedAndLaterSendsStillGoOutInOrder() {
        ScriptedTransport transport = scripted(List.of(
                () -> answer(413, problem("payload-too-large"), Map.of()),
                () -> answer(201, STORED.replace("\"seq\":7", "\"seq\":8"), Map.of())));
        try (RelayClient client = client(transport)) {
            CompletableFuture<Sent> tooBig = client.send("c1", "x".repeat(10));
            CompletableFuture<Sent> fine = client.send("c1", "ok");
            assertThatThrownBy(tooBig::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(RelayException.class, e -> {
                        assertThat(e.slug()).isEqualTo("payload-too-large");
                        assertThat(e.status()).isEqualTo(413);
                        assertThat(e.retryable()).isFalse();
                    });
            assertThat(fine.join().seq()).isEqualTo(8);
            assertThat(fine.join().replayed()).isFalse();
            assertThat(transport.calls).extracting(ScriptedTransport.Call::body)
                    .satisfiesExactly(b -> assertThat(b).contains("xxxxxxxxxx"), b -> assertThat(b).contains("\"ok\""));
        }
    }

    @Test
    void aQueuedSendFailsWithClosedWhenTheClientCloses() {
        CompletableFuture<HttpResponse<String>> never = new CompletableFuture<>();
        ScriptedTransport transport = new ScriptedTransport(call -> never);
        RelayClient client = client(transport);
        client.send("c1", "first");
        CompletableFuture<Sent> queued = client.send("c1", "second");
        client.close();
        assertThatThrownBy(queued::join).cause().isInstanceOfSatisfying(RelayException.class,
                e -> assertThat(e.slug()).isEqualTo("closed"));
    }
}
