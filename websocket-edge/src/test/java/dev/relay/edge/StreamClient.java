package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A real WebSocket client of {@code /v1/stream} (Vert.x), collecting every frame and the close code. */
public final class StreamClient implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(20_000).setConnectTimeout(10_000).setTryUsePerMessageCompression(false));
    static final ObjectMapper JSON = RelayJson.newMapper();

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicLong discarded = new AtomicLong();

    private StreamClient(WebSocket socket) {
        this.socket = socket;
        socket.textMessageHandler(text -> {
            try {
                frames.add(JSON.readTree(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        socket.closeHandler(v -> closeCode.complete(socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode()));
    }

    /**
     * Connects with the token in the Authorization header. Handlers are set before the connect, so a
     * frame the server writes right after the upgrade (its {@code hello}) cannot arrive unhandled.
     */
    public static StreamClient connect(int port, String token, String device) {
        return join(connectAsync(port, token, device, false));
    }

    public static CompletableFuture<StreamClient> connectAsync(int port, String token, String device, boolean tokenInQuery) {
        String uri = "/v1/stream" + query(token, device, tokenInQuery);
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
        if (token != null && !tokenInQuery) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        ClientWebSocket socket = CLIENT.webSocket();
        StreamClient client = new StreamClient(socket);
        return socket.connect(options).map(connected -> client).toCompletionStage().toCompletableFuture();
    }

    /** The HTTP status of a refused upgrade (fails when the upgrade succeeds). */
    public static int rejectedStatus(int port, String token, String device, boolean tokenInQuery) {
        try {
            StreamClient client = connectAsync(port, token, device, tokenInQuery).get(10, TimeUnit.SECONDS);
            client.close();
            throw new AssertionError("upgrade was accepted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            assertThat(cause).isInstanceOf(UpgradeRejectedException.class);
            return ((UpgradeRejectedException) cause).getStatus();
        }
    }

    /** Stops reading from the socket: frames pile up in the kernel buffers, then on the server. */
    public void pause() {
        socket.pause();
    }

    public void resume() {
        socket.resume();
    }

    /** From now on frames are counted and dropped, not kept (a client that reads but keeps nothing). */
    public void discardFrames() {
        frames.clear();
        socket.textMessageHandler(text -> discarded.incrementAndGet());
    }

    /** Frames dropped since {@link #discardFrames()}. */
    public long discarded() {
        return discarded.get();
    }

    public void send(String json) {
        socket.writeTextMessage(json);
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
                throw new AssertionError("no frame within " + timeout);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame of {@code type}, skipping pongs; fails on any other type. */
    public JsonNode next(String type, Duration timeout) {
        JsonNode frame = next(timeout);
        while ("pong".equals(frame.path("type").asText()) && !"pong".equals(type)) {
            frame = next(timeout);
        }
        assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo(type);
        return frame;
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
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + timeout, e);
        }
    }

    public boolean closed() {
        return closeCode.isDone();
    }

    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** Every frame received so far, without waiting. */
    public java.util.List<JsonNode> drained() {
        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) {
            socket.close();
        }
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
