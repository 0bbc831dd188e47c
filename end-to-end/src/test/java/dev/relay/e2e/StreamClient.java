package dev.relay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.client.CursorBook;
import dev.relay.client.Delivery;
import dev.relay.client.StreamConnection;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.RelayJson;
import dev.relay.contract.wire.SyncRequest;
import dev.relay.contract.wire.SyncResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client as API.md describes one, built from the Java SDK's parts: its connection layer
 * ({@link StreamConnection}) for the socket and its {@link CursorBook} for the merge (a cursor per
 * conversation, {@code seq <= cursor} dropped, {@code seq > cursor + 1} held and a
 * {@code POST /v1/sync} called, cumulative acks). Unlike {@code RelayClient} it never reconnects, so a
 * test sees one connection's fate in {@link #closed}. What the user would see is {@link #shownIn};
 * raw pushes, the seqs that were pushed at all, and what only sync delivered are counted too, so a
 * test sees the wire as well. Frames are handled one at a time (the next is read after the last).
 */
final class StreamClient implements AutoCloseable {

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private static final HttpClient HTTP = StreamConnection.newHttpClient(Duration.ofSeconds(10));
    /** Pings every client well within the edge's silence limit (2 × heartbeatSeconds, 50 s by default). */
    private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stream-client-ping").daemon().factory());

    private final StreamConnection connection;
    private final String syncUrl;
    private final String token;
    private final ScheduledFuture<?> heartbeat;
    private final CursorBook book = new CursorBook(Map.of(), this::show, 100_000);
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
        this.connection = StreamConnection.create(new StreamConnection.Handler() {
            @Override
            public void onText(String text) {
                handle(text);
            }

            @Override
            public void onClosed(int code, String reason) {
                if (code == -1) {
                    closed.completeExceptionally(new IllegalStateException(reason));
                } else {
                    closed.complete(code);
                }
            }
        });
        connection.connect(HTTP, URI.create(url), Map.of("Authorization", "Bearer " + token), Duration.ofSeconds(10))
                .orTimeout(30, TimeUnit.SECONDS).join();
        this.heartbeat = HEARTBEATS.scheduleAtFixedRate(() -> connection.send("{\"type\":\"ping\"}"), 10, 10, TimeUnit.SECONDS);
    }

    /** @param syncUrl sync-fn's {@code /v1/sync}, called on a gap or {@code resync} */
    static StreamClient connect(String url, String syncUrl, String token) {
        return new StreamClient(url, syncUrl, token);
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
                Message message = JSON.convertValue(frame.get("message"), Message.class);
                pushedSeqs.add(message.conversationId() + "/" + message.seq());
                switch (book.offer(message, Delivery.PUSH, false)) {
                    case DUPLICATE, SHOWN -> ack(message.conversationId());
                    case HELD -> {
                        gaps.incrementAndGet();
                        sync();
                    }
                }
            }
            case "resync" -> {
                otherFrames.add(frame);
                sync();
            }
            default -> otherFrames.add(frame);
        }
    }

    private void show(Message message, Delivery via) {
        String conversation = message.conversationId();
        cursors.put(conversation, message.seq());
        shown.computeIfAbsent(conversation, c -> new CopyOnWriteArrayList<>()).add(message.seq());
        shownAtNanos.putIfAbsent(conversation + "/" + message.body(), System.nanoTime());
        if (via == Delivery.SYNC) {
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
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new SyncRequest(book.snapshot(), 500))))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    otherFrames.add(JSON.createObjectNode().put("syncFailed", response.statusCode()).put("body", response.body()));
                    return;
                }
                SyncResponse page = JSON.readValue(response.body(), SyncResponse.class);
                Set<String> advanced = new LinkedHashSet<>();
                for (Message message : page.messages()) {
                    if (book.offer(message, Delivery.SYNC, false) == CursorBook.Outcome.SHOWN) {
                        advanced.add(message.conversationId());
                    }
                }
                advanced.forEach(this::ack);
                more = page.hasMore();
            }
        } catch (Exception e) {
            otherFrames.add(JSON.createObjectNode().put("syncFailed", e.toString()));
        }
    }

    /** Cumulative: everything up to the conversation's cursor arrived. */
    private void ack(String conversation) {
        connection.send("{\"type\":\"ack\",\"conversationId\":\"" + conversation + "\",\"seq\":" + book.cursor(conversation) + "}");
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
        connection.close();
        connection.abort();
    }
}
