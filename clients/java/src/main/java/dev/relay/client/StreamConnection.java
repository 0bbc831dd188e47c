package dev.relay.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One WebSocket to {@code /v1/stream}, the SDK's connection layer: whole text frames in, ordered
 * text frames out, the close code as a future. {@link RelayClient} builds its reconnecting stream on
 * it; tests and the load generator use it directly for raw frames.
 *
 * <p>Built on the JDK's {@code java.net.http.WebSocket}, which hands the listener every byte after
 * the {@code 101}, so a {@code hello} written right after the upgrade is never lost. Reading is
 * demand-driven: the next frame is asked for only after the handler returned, one at a time, and
 * {@link #pause()} stops asking, so the JDK stops reading the socket and the server's writes back
 * up (a client that never reads). The JDK allows one outstanding send: sends are chained.
 */
public final class StreamConnection implements AutoCloseable {

    /** Receives the connection's events on the JDK's WebSocket thread, one at a time. */
    public interface Handler {

        void onText(String text);

        /** The server's close code, or -1 when the connection failed without one (reset, killed peer). */
        default void onClosed(int code, String reason) {
        }
    }

    private final Handler handler;
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean paused;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private StreamConnection(Handler handler) {
        this.handler = handler;
    }

    /**
     * Opens the WebSocket; fails (with {@code WebSocketHandshakeException} for a refused upgrade,
     * whose response has the HTTP status) when it cannot.
     */
    public static CompletableFuture<StreamConnection> open(HttpClient http, URI uri, Map<String, String> headers,
            Duration connectTimeout, Handler handler) {
        return create(handler).connect(http, uri, headers, connectTimeout);
    }

    /** A connection not opened yet: its owner knows it before the first frame arrives. */
    public static StreamConnection create(Handler handler) {
        return new StreamConnection(handler);
    }

    /** Opens this connection once; see {@link #open}. */
    public CompletableFuture<StreamConnection> connect(HttpClient http, URI uri, Map<String, String> headers,
            Duration connectTimeout) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, listener()).thenApply(opened -> {
            socket = opened;
            return this;
        });
    }

    /** An HTTP/1.1 client for WebSockets (the upgrade needs HTTP/1.1). */
    public static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                socket = webSocket;
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    try {
                        handler.onText(text);
                    } finally {
                        if (!paused) {
                            webSocket.request(1);
                        }
                    }
                } else if (!paused) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                finish(statusCode, reason);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                finish(-1, String.valueOf(error));
            }
        };
    }

    private void finish(int code, String reason) {
        if (closeCode.complete(code)) {
            handler.onClosed(code, reason);
        }
    }

    /** Sends a text frame after every earlier one; a frame sent after the close is dropped. */
    public synchronized CompletableFuture<Void> send(String text) {
        WebSocket current = socket;
        if (current == null || closeCode.isDone() || current.isOutputClosed()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> next = sending.handle((ok, failure) -> null)
                .thenCompose(ignored -> current.sendText(text, true)).thenApply(ws -> null);
        sending = next;
        return next;
    }

    /** Stops reading after the frame being handled now. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        WebSocket current = socket;
        if (current != null) {
            current.request(1);
        }
    }

    /** Completes with the server's close code, or -1 when the connection failed without one. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    public boolean closed() {
        return closeCode.isDone();
    }

    /** Says goodbye with {@code code}; frames keep arriving until the server's close. */
    public synchronized void close(int code, String reason) {
        WebSocket current = socket;
        if (current == null || current.isOutputClosed()) {
            return;
        }
        sending = sending.handle((ok, failure) -> null)
                .thenCompose(ignored -> current.sendClose(code, reason)).exceptionally(failure -> null);
    }

    @Override
    public void close() {
        close(WebSocket.NORMAL_CLOSURE, "bye");
    }

    /** Drops the connection at once, without a close handshake; no more handler calls follow. */
    public void abort() {
        WebSocket current = socket;
        closeCode.complete(-1);
        if (current != null) {
            current.abort();
        }
    }
}
