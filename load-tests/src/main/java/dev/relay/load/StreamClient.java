package dev.relay.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.client.StreamConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A benchmark's WebSocket client of {@code /v1/stream}, on the Java SDK's connection layer
 * ({@link StreamConnection}): one cursor per conversation, drops {@code seq <= cursor}, acks
 * cumulatively, and hands each message's first arrival (with the {@link System#nanoTime()} it
 * arrived) to {@code onFirstArrival}. It does not sync: a gap is counted and the cursor moves past
 * it (the end-to-end test, not the benchmark, proves delivery).
 */
final class StreamClient implements AutoCloseable {

    private final BiConsumer<JsonNode, Long> onFirstArrival;
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final StreamConnection connection;
    final AtomicLong rawPushes = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong resyncs = new AtomicLong();

    private StreamClient(HttpClient http, String url, String token, BiConsumer<JsonNode, Long> onFirstArrival) {
        this.onFirstArrival = onFirstArrival;
        this.connection = StreamConnection.open(http, URI.create(url), Map.of("Authorization", "Bearer " + token),
                Duration.ofSeconds(10), text -> handle(text, System.nanoTime())).orTimeout(30, TimeUnit.SECONDS).join();
    }

    static StreamClient connect(HttpClient http, String url, String token, BiConsumer<JsonNode, Long> onFirstArrival) {
        return new StreamClient(http, url, token, onFirstArrival);
    }

    private void handle(String text, long arrived) {
        JsonNode frame;
        try {
            frame = Http.JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        switch (frame.path("type").asText()) {
            case "message" -> {
                rawPushes.incrementAndGet();
                JsonNode message = frame.get("message");
                String conversation = message.get("conversationId").asText();
                long seq = message.get("seq").asLong();
                long cursor = cursors.getOrDefault(conversation, 0L);
                if (seq > cursor) {
                    if (seq > cursor + 1) {
                        // A real client would sync here; the benchmark counts it and still times the arrival.
                        gaps.incrementAndGet();
                    }
                    cursors.put(conversation, seq);
                    onFirstArrival.accept(message, arrived);
                }
                connection.send("{\"type\":\"ack\",\"conversationId\":\"" + conversation + "\",\"seq\":" + Math.max(seq, cursor) + "}");
            }
            case "resync" -> resyncs.incrementAndGet();
            default -> { }
        }
    }

    /** Keeps the connection alive (the edge closes silent ones after 2 × heartbeatSeconds). */
    void ping() {
        connection.send("{\"type\":\"ping\"}");
    }

    @Override
    public void close() {
        connection.abort();
    }
}
