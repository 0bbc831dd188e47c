package dev.relay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client as API.md describes one: keeps a cursor per conversation, drops {@code seq <= cursor},
 * acks cumulatively, and calls {@code POST /v1/sync} when it sees {@code seq > cursor + 1} or a
 * {@code resync} frame. What the user would see is {@link #shownIn}; raw pushes, the seqs that were
 * pushed at all, and what only sync delivered are counted too, so a test sees the wire as well.
 * Frames are handled one at a time (the listener asks for the next only after the last one).
 */
final class StreamClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Pings every client well within the edge's silence limit (2 × heartbeatSeconds, 50 s by default). */
    private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stream-client-ping").daemon().factory());

    private final WebSocket socket;
    private final String syncUrl;
    private final String token;
    private final StringBuilder partial = new StringBuilder();
    private final ScheduledFuture<?> heartbeat;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    final Map<String, Long> cursors = new ConcurrentHashMap<>();
    final Map<String, List<Long>> shown = new ConcurrentHashMap<>();
    /** {@code conversationId/body} → {@link System#nanoTime()} of the message's first showing. */
    final Map<String, Long> shownAtNanos = new ConcurrentHashMap<>();
    /** {@code conversationId/seq} of every message that arrived as a push, duplicates or not. */
    final Set<String> pushedSeqs = ConcurrentHashMap.newKeySet();
    final List<JsonNode> otherFrames = new CopyOnWriteArrayList<>();
    final AtomicLong rawPushes = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong shownBySync = new AtomicLong();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private StreamClient(String url, String syncUrl, String token) {
        this.syncUrl = syncUrl;
        this.token = token;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(url), this).orTimeout(30, TimeUnit.SECONDS).join();
        this.heartbeat = HEARTBEATS.scheduleAtFixedRate(() -> send("{\"type\":\"ping\"}"), 10, 10, TimeUnit.SECONDS);
    }

    /** @param syncUrl sync-fn's {@code /v1/sync}, called on a gap or {@code resync} */
    static StreamClient connect(String url, String syncUrl, String token) {
        return new StreamClient(url, syncUrl, token);
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
        switch (frame.path("type").asText()) {
            case "message" -> {
                rawPushes.incrementAndGet();
                JsonNode message = frame.get("message");
                String conversation = message.get("conversationId").asText();
                long seq = message.get("seq").asLong();
                pushedSeqs.add(conversation + "/" + seq);
                long cursor = cursors.getOrDefault(conversation, 0L);
                if (seq <= cursor) {
                    ack(conversation, cursor);
                } else if (seq == cursor + 1) {
                    show(message, false);
                    ack(conversation, seq);
                } else {
                    gaps.incrementAndGet();
                    sync();
                }
            }
            case "resync" -> {
                otherFrames.add(frame);
                sync();
            }
            default -> otherFrames.add(frame);
        }
    }

    private void show(JsonNode message, boolean bySync) {
        String conversation = message.get("conversationId").asText();
        cursors.put(conversation, message.get("seq").asLong());
        shown.computeIfAbsent(conversation, c -> new CopyOnWriteArrayList<>()).add(message.get("seq").asLong());
        shownAtNanos.putIfAbsent(conversation + "/" + message.get("body").asText(), System.nanoTime());
        if (bySync) {
            shownBySync.incrementAndGet();
        }
    }

    /** Catch-up as API.md says: every message above the cursors, page by page, then ack what was shown. */
    private void sync() {
        try {
            boolean more = true;
            while (more) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(syncUrl))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("cursors", cursors, "limit", 500))))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    otherFrames.add(JSON.createObjectNode().put("syncFailed", response.statusCode()).put("body", response.body()));
                    return;
                }
                JsonNode page = JSON.readTree(response.body());
                List<String> advanced = new ArrayList<>();
                for (JsonNode message : page.get("messages")) {
                    String conversation = message.get("conversationId").asText();
                    if (message.get("seq").asLong() == cursors.getOrDefault(conversation, 0L) + 1) {
                        show(message, true);
                        advanced.add(conversation);
                    }
                }
                advanced.stream().distinct().forEach(c -> ack(c, cursors.get(c)));
                more = page.path("hasMore").asBoolean(false);
            }
        } catch (Exception e) {
            otherFrames.add(JSON.createObjectNode().put("syncFailed", e.toString()));
        }
    }

    /** The JDK WebSocket allows one outstanding send: each send starts when the previous one ended. */
    private void ack(String conversation, long seq) {
        send("{\"type\":\"ack\",\"conversationId\":\"" + conversation + "\",\"seq\":" + seq + "}");
    }

    private synchronized void send(String text) {
        sending = sending.handle((ok, failure) -> null).thenCompose(ignored -> socket.sendText(text, true));
    }

    List<Long> shownIn(String conversation) {
        return shown.getOrDefault(conversation, List.of());
    }

    /** How many of seqs 1..count of the conversation arrived as a push at least once. */
    long pushedOf(String conversation, int count) {
        long pushed = 0;
        for (int seq = 1; seq <= count; seq++) {
            if (pushedSeqs.contains(conversation + "/" + seq)) {
                pushed++;
            }
        }
        return pushed;
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
