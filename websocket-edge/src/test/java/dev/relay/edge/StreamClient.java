package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.client.StreamConnection;
import dev.relay.contract.wire.RelayJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real WebSocket client of {@code /v1/stream} for the edge's tests, collecting every frame and the
 * close code: a thin wrapper over the Java SDK's connection layer ({@link StreamConnection}).
 *
 * <p>That layer is the JDK's {@code java.net.http.WebSocket}, which hands over every byte that came
 * after the {@code 101}, so a {@code hello} written right after the upgrade is never lost. Reading
 * is demand-driven: {@link #pause()} stops asking for frames, so the JDK stops reading the socket
 * and the server's writes back up, as with a client that never reads.
 */
public final class StreamClient implements AutoCloseable {

    private static final HttpClient HTTP = StreamConnection.newHttpClient(Duration.ofSeconds(10));
    static final ObjectMapper JSON = RelayJson.newMapper();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final AtomicLong discarded = new AtomicLong();
    private final StreamConnection connection = StreamConnection.create(this::onFrame);
    private volatile boolean discarding;

    private StreamClient() {
    }

    /** Connects with the token in the Authorization header; fails the test when the upgrade fails. */
    public static StreamClient connect(int port, String token, String device) {
        return join(connectAsync(port, token, device, false));
    }

    public static CompletableFuture<StreamClient> connectAsync(int port, String token, String device, boolean tokenInQuery) {
        StreamClient client = new StreamClient();
        Map<String, String> headers = token != null && !tokenInQuery ? Map.of("Authorization", "Bearer " + token) : Map.of();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/v1/stream" + query(token, device, tokenInQuery));
        return client.connection.connect(HTTP, uri, headers, Duration.ofSeconds(10)).thenApply(opened -> client);
    }

    /** The HTTP status of a refused upgrade (fails when the upgrade succeeds). */
    public static int rejectedStatus(int port, String token, String device, boolean tokenInQuery) {
        try {
            StreamClient client = connectAsync(port, token, device, tokenInQuery).get(10, TimeUnit.SECONDS);
            client.close();
            throw new AssertionError("upgrade was accepted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) cause).getResponse().statusCode();
        }
    }

    /** Called by the connection layer one frame at a time, never concurrently. */
    private void onFrame(String text) {
        if (discarding) {
            discarded.incrementAndGet();
            return;
        }
        try {
            frames.add(JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the test's side ----

    /** Stops reading: the JDK stops reading the socket, frames pile up in kernel buffers, then on the server. */
    public void pause() {
        connection.pause();
    }

    public void resume() {
        connection.resume();
    }

    /** From now on frames are counted and dropped, not kept (a client that reads but keeps nothing). */
    public void discardFrames() {
        discarding = true;
        frames.clear();
    }

    /** Frames dropped since {@link #discardFrames()}. */
    public long discarded() {
        return discarded.get();
    }

    public void send(String json) {
        connection.send(json);
    }

    public void ack(String conversationId, long seq) {
        send("{\"type\":\"ack\",\"conversationId\":\"" + conversationId + "\",\"seq\":" + seq + "}");
    }

    public void ping() {
        send("{\"type\":\"ping\"}");
    }

    /** The next frame, or fails after {@code timeout}. */
    public JsonNode next(Duration timeout) {
        try {
            JsonNode frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + timeout + "; socket "
                        + (closed() ? "closed with " + closeCode().join() : "still open"));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame of {@code type}, skipping pongs; fails on any other type or after {@code timeout}. */
    public JsonNode next(String type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode frame = next(timeout);
        while ("pong".equals(frame.path("type").asText()) && !"pong".equals(type)) {
            frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo(type);
        return frame;
    }

    /**
     * Pings and returns the frames that arrived before the pong. The edge handles a connection's
     * frames in order and queues the pong behind whatever it sent meanwhile, so once this returns it
     * has handled every frame sent before the call (an ack, say), and every frame it sent before
     * handling them is in the returned list.
     */
    public List<JsonNode> untilPong(Duration timeout) {
        ping();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> before = new ArrayList<>();
        JsonNode frame = next(timeout);
        while (!"pong".equals(frame.path("type").asText())) {
            before.add(frame);
            frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        return before;
    }

    /** Asserts that no frame other than pong arrives within {@code quiet}. */
    public void assertSilentFor(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode frame = frames.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (frame != null && !"pong".equals(frame.path("type").asText())) {
                    throw new AssertionError("unexpected frame " + frame);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The close code the server sent, waiting up to {@code timeout}. */
    public int awaitClose(Duration timeout) {
        try {
            return closeCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + timeout, e);
        }
    }

    public boolean closed() {
        return connection.closed();
    }

    public CompletableFuture<Integer> closeCode() {
        return connection.closeCode();
    }

    /** Every frame received so far, without waiting. */
    public List<JsonNode> drained() {
        List<JsonNode> all = new ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    /** Says goodbye (1000) and reads on until the server's close, dropping frames, so nothing lingers. */
    @Override
    public void close() {
        if (closed()) {
            return;
        }
        discarding = true;
        frames.clear();
        connection.close();
        resume();
    }

    private static String query(String token, String device, boolean tokenInQuery) {
        StringBuilder query = new StringBuilder();
        if (device != null) {
            query.append("device=").append(device);
        }
        if (token != null && tokenInQuery) {
            query.append(query.isEmpty() ? "" : "&").append("access_token=").append(token);
        }
        return query.isEmpty() ? "" : "?" + query;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("connect failed", e);
        }
    }
}
