package dev.relay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.client.CursorBook;
import dev.relay.client.Delivery;
import dev.relay.client.StreamConnection;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.RelayJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device of a recipient, behaving as API.md's reference client: one cursor per conversation;
 * a pushed message with {@code seq = cursor + 1} is shown and acked, one with {@code seq <= cursor}
 * dropped (and acked again), one further ahead starts {@code POST /v1/sync}; so do {@code resync} and
 * every (re)connection. When its socket ends (node killed, drained, closed by the server) it connects
 * again, to its home node first and to the other node if the home node does not answer. A failed sync
 * is tried again after a short back-off until it succeeds.
 *
 * <p>The cursors are the Java SDK's {@link CursorBook} holding nothing back ({@code maxHeld} 0): a
 * message is shown iff its seq is cursor + 1, one at or below the cursor is a duplicate, and one further
 * ahead is dropped, which is API.md's reference behaviour (the SDK's own client holds such pushes
 * until a sync fills the gap; this device drops them and syncs).
 *
 * <p>Every state change runs on this device's own single thread, in the order frames and events
 * arrived, so the book needs no locking; other threads read the cursors from {@link #cursor}, a
 * copy published after each change. What the user would see is {@link #shownIn}: the messages in
 * the order they were shown.
 */
final class ReferenceRecipient implements AutoCloseable {

    /** A message as shown to the user. */
    record Shown(long seq, String messageId, String body, boolean bySync) {
    }

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private static final long RETRY_MILLIS = 500;
    private static final long PING_SECONDS = 10;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(15);

    final String userId;
    private final String token;
    private final String device;
    private final String homeUrl;
    private final String otherUrl;
    private final String syncUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();
    private final ScheduledExecutorService thread;
    private final CursorBook book = new CursorBook(Map.of(), this::show, 0);
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final Map<String, List<Shown>> shown = new ConcurrentHashMap<>();
    private StreamConnection socket;
    private volatile String connectedTo;
    private boolean syncRetryPending;
    private boolean closed;
    final AtomicLong connections = new AtomicLong();
    final AtomicLong rawPushes = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong resyncs = new AtomicLong();
    final AtomicLong syncFailures = new AtomicLong();
    final AtomicLong shownBySync = new AtomicLong();
    /** Frames or sync pages that break the protocol (a sync page skipping a seq, an unreadable frame). */
    final List<String> anomalies = new CopyOnWriteArrayList<>();

    ReferenceRecipient(String userId, String token, String device, String homeUrl, String otherUrl, String syncUrl) {
        this.userId = userId;
        this.token = token;
        this.device = device;
        this.homeUrl = homeUrl;
        this.otherUrl = otherUrl;
        this.syncUrl = syncUrl;
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("recipient-" + userId).daemon().factory());
        thread.scheduleWithFixedDelay(this::ping, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
        thread.execute(this::connect);
    }

    /** The edge URL this device is connected to now, or null while it is not. */
    String connectedTo() {
        return connectedTo;
    }

    boolean atHome() {
        return homeUrl.equals(connectedTo);
    }

    long cursor(String conversationId) {
        return cursors.getOrDefault(conversationId, 0L);
    }

    List<Shown> shownIn(String conversationId) {
        return shown.getOrDefault(conversationId, List.of());
    }

    /** Drops the connection and connects again, home node first (after a fault moved it away). */
    void reconnectHome() {
        thread.execute(() -> {
            if (socket != null) {
                StreamConnection old = socket;
                socket = null;
                connectedTo = null;
                old.abort();
            }
            connect();
        });
    }

    private void connect() {
        if (closed || socket != null) {
            return;
        }
        for (String url : List.of(homeUrl, otherUrl)) {
            try {
                StreamConnection opened = open(url);
                socket = opened;
                connectedTo = url;
                connections.incrementAndGet();
                sync();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception notThere) {
                // the next node, or again after the back-off
            }
        }
        thread.schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A connection to {@code url} whose frames and end are handled on this device's thread, in order. */
    private StreamConnection open(String url) throws Exception {
        Events events = new Events();
        events.connection = StreamConnection.create(events);
        return events.connection.connect(http, URI.create(url + "?device=" + device),
                Map.of("Authorization", "Bearer " + token), CONNECT_TIMEOUT).get(CONNECT_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
    }

    private void ended(StreamConnection which) {
        if (socket != which) {
            return;
        }
        socket = null;
        connectedTo = null;
        which.abort();
        connect();
    }

    private void handle(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            anomalies.add("unparsable frame: " + text);
            return;
        }
        switch (frame.path("type").asText()) {
            case "message" -> {
                rawPushes.incrementAndGet();
                Message message = read(frame.get("message"));
                if (message == null) {
                    return;
                }
                switch (book.offer(message, Delivery.PUSH, false)) {
                    case SHOWN, DUPLICATE -> ack(message.conversationId(), book.cursor(message.conversationId()));
                    case HELD -> {
                        gaps.incrementAndGet();
                        sync();
                    }
                }
            }
            case "resync" -> {
                resyncs.incrementAndGet();
                sync();
            }
            default -> { }
        }
    }

    /** The book's callback for each message it shows, in order. */
    private void show(Message message, Delivery via) {
        boolean bySync = via == Delivery.SYNC;
        cursors.put(message.conversationId(), message.seq());
        shown.computeIfAbsent(message.conversationId(), c -> new CopyOnWriteArrayList<>())
                .add(new Shown(message.seq(), message.messageId(), message.body(), bySync));
        if (bySync) {
            shownBySync.incrementAndGet();
        }
    }

    private Message read(JsonNode message) {
        try {
            return JSON.treeToValue(message, Message.class);
        } catch (Exception e) {
            anomalies.add("unreadable message: " + message);
            return null;
        }
    }

    /** Everything above the cursors, page by page; on any failure the whole catch-up is tried again later. */
    private void sync() {
        if (closed) {
            return;
        }
        try {
            boolean more = true;
            while (more) {
                Map<String, Long> sent = book.snapshot();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(syncUrl)).timeout(SYNC_TIMEOUT)
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("cursors", sent, "limit", 500))))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    if (response.statusCode() != 503) {
                        anomalies.add("sync answered " + response.statusCode() + ": " + response.body());
                    }
                    syncFailed();
                    return;
                }
                JsonNode page = JSON.readTree(response.body());
                List<String> advanced = new ArrayList<>();
                for (JsonNode item : page.get("messages")) {
                    Message message = read(item);
                    if (message == null) {
                        continue;
                    }
                    long cursor = book.cursor(message.conversationId());
                    switch (book.offer(message, Delivery.SYNC, false)) {
                        case SHOWN -> advanced.add(message.conversationId());
                        case HELD -> anomalies.add("sync skipped from " + cursor + " to " + message.seq()
                                + " in " + message.conversationId());
                        case DUPLICATE -> { }
                    }
                }
                advanced.stream().distinct().forEach(c -> ack(c, book.cursor(c)));
                more = page.path("hasMore").asBoolean(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            syncFailed();
        }
    }

    private void syncFailed() {
        syncFailures.incrementAndGet();
        if (!syncRetryPending) {
            syncRetryPending = true;
            thread.schedule(() -> {
                syncRetryPending = false;
                sync();
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void ack(String conversation, long seq) {
        send("{\"type\":\"ack\",\"conversationId\":\"" + conversation + "\",\"seq\":" + seq + "}");
    }

    private void ping() {
        send("{\"type\":\"ping\"}");
    }

    /** After every earlier frame on the connection; nothing while there is none. */
    private void send(String text) {
        StreamConnection current = socket;
        if (current != null) {
            current.send(text);
        }
    }

    @Override
    public void close() {
        thread.execute(() -> {
            closed = true;
            if (socket != null) {
                socket.abort();
                socket = null;
                connectedTo = null;
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }

    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
            // the device was closed: nothing more to show
        }
    }

    /** One connection's events, handed to the device's thread in the order they came. */
    private final class Events implements StreamConnection.Handler {

        /** Set before the connection opens, so before any event. */
        private volatile StreamConnection connection;

        @Override
        public void onText(String text) {
            onThread(() -> handle(text));
        }

        @Override
        public void onClosed(int code, String reason) {
            onThread(() -> ended(connection));
        }
    }
}
