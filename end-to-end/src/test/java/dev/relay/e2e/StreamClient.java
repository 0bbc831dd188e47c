package dev.relay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client as API.md describes one: keeps a cursor per conversation, drops {@code seq <= cursor},
 * acks cumulatively, and remembers when each seq first arrived. Raw pushes are counted too, so a
 * test sees duplicates on the wire as well as what the user would see.
 */
final class StreamClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = RelayJson.newMapper();

    private final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
    final Map<String, Long> cursors = new ConcurrentHashMap<>();
    final Map<String, List<Long>> shown = new ConcurrentHashMap<>();
    /** Milliseconds from a message's commit ({@code sentAt}) to its first arrival here. */
    final List<Long> latenciesMillis = new CopyOnWriteArrayList<>();
    final List<JsonNode> otherFrames = new CopyOnWriteArrayList<>();
    final AtomicLong rawPushes = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private StreamClient(String url, String token) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(url), this).orTimeout(15, TimeUnit.SECONDS).join();
    }

    static StreamClient connect(String url, String token) {
        return new StreamClient(url, token);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            handle(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    private synchronized void handle(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            otherFrames.add(JSON.createObjectNode().put("unparsable", text));
            return;
        }
        if (!"message".equals(frame.path("type").asText())) {
            otherFrames.add(frame);
            return;
        }
        rawPushes.incrementAndGet();
        JsonNode message = frame.get("message");
        String conversation = message.get("conversationId").asText();
        long seq = message.get("seq").asLong();
        long cursor = cursors.getOrDefault(conversation, 0L);
        if (seq <= cursor) {
            ack(conversation, cursor);
            return;
        }
        if (seq > cursor + 1) {
            // A real client would sync here; the test counts it so it can fail on it.
            gaps.incrementAndGet();
            return;
        }
        cursors.put(conversation, seq);
        shown.computeIfAbsent(conversation, c -> new CopyOnWriteArrayList<>()).add(seq);
        latenciesMillis.add(Instant.now().toEpochMilli() - Instant.parse(message.get("sentAt").asText()).toEpochMilli());
        ack(conversation, seq);
    }

    private void ack(String conversation, long seq) {
        socket.sendText("{\"type\":\"ack\",\"conversationId\":\"" + conversation + "\",\"seq\":" + seq + "}", true);
    }

    /** p50/p99/max of {@link #latenciesMillis}. */
    String latencySummary() {
        List<Long> sorted = latenciesMillis.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return "no messages";
        }
        return "p50 %d ms, p99 %d ms, max %d ms (n=%d)".formatted(sorted.get(sorted.size() / 2),
                sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.getLast(), sorted.size());
    }

    List<Long> shownIn(String conversation) {
        return shown.getOrDefault(conversation, List.of());
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
