package dev.relay.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.frame.ClientFrame;
import dev.relay.contract.frame.ServerFrame;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one stream open: connects, says ping, notices silence, honours {@code draining}, and
 * reconnects with full-jitter back-off (reset once a connection has been up {@code stableAfter}).
 * Close codes as API.md says: 4001 → new token and reconnect at once; 4008/4009 → back-off, and the
 * hello's sync catches up; 4010 → {@code CLOSED} for good (reconnecting would evict the newer
 * connection of this device in turn). Every field is touched on {@code executor} only; a
 * connection's events are posted there and ignored once it is no longer {@link #current}.
 */
final class StreamSupervisor {

    static final int SILENT = 4000;
    static final int TOKEN_EXPIRED = 4001;
    static final int REPLACED = 4010;

    private final ClientOptions options;
    private final ScheduledExecutorService executor;
    private final HttpClient http;
    private final ObjectMapper json;
    private final TokenSource tokens;
    private final DeliveryMerger delivery;
    private final RelayListener listener;
    private final Backoff backoff;
    private final Runnable onReplaced;
    private final List<CompletableFuture<Void>> onlineWaiters = new ArrayList<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private StreamConnection current;
    private boolean ready;
    private boolean started;
    private boolean closed;
    private ScheduledFuture<?> heartbeat;
    private long lastFrameAt;
    private int failuresBeforeHello;
    private Long drainReconnectAt;

    StreamSupervisor(ClientOptions options, ScheduledExecutorService executor, HttpClient http, ObjectMapper json,
            TokenSource tokens, DeliveryMerger delivery, RelayListener listener, Backoff backoff, Runnable onReplaced) {
        this.options = options;
        this.executor = executor;
        this.http = http;
        this.json = json;
        this.tokens = tokens;
        this.delivery = delivery;
        this.listener = listener;
        this.backoff = backoff;
        this.onReplaced = onReplaced;
    }

    ConnectionState state() {
        return state;
    }

    /** Starts connecting once; completes at the first hello. */
    CompletableFuture<Void> connect() {
        if (!started && !closed) {
            started = true;
            delivery.start();
            open();
        }
        return firstConnect;
    }

    /** Completes while connected, or at once when the stream was never started (HTTP-only use) or is closed. */
    CompletableFuture<Void> online() {
        if (!started || closed || state == ConnectionState.CONNECTED) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        onlineWaiters.add(waiter);
        return waiter;
    }

    void ack(String conversationId, long seq) {
        if (ready) {
            write(current, new ClientFrame.Ack(conversationId, seq));
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        delivery.stop();
        stopHeartbeat();
        StreamConnection connection = current;
        current = null;
        if (connection != null) {
            connection.close(1000, "client closed");
        }
        RelayException reason = RelayException.local("closed", "client closed");
        firstConnect.completeExceptionally(reason);
        wakeOnline();
        setState(new StateChange(ConnectionState.CLOSED, 1000, "client closed", null));
    }

    private void open() {
        if (closed) {
            return;
        }
        setState(StateChange.of(ConnectionState.CONNECTING));
        // Every third failed attempt in a row asks for a new token: the cached one may be the trouble.
        boolean fresh = failuresBeforeHello >= 3 && failuresBeforeHello % 3 == 0;
        (fresh ? tokens.refresh() : tokens.get()).whenCompleteAsync((token, failure) -> {
            if (failure != null) {
                listener.onError(RelayHttpClient.unwrap(failure));
                failuresBeforeHello++;
                retryLater(null, "token unavailable", backoff.next());
            } else {
                dial(token);
            }
        }, executor);
    }

    private void dial(String token) {
        if (closed) {
            return;
        }
        // The handler needs its connection to tell its events from a later connection's.
        StreamConnection[] self = new StreamConnection[1];
        StreamConnection connection = StreamConnection.create(new StreamConnection.Handler() {
            @Override
            public void onText(String text) {
                post(() -> onFrame(self[0], text));
            }

            @Override
            public void onClosed(int code, String reason) {
                post(() -> lost(self[0], code, reason));
            }
        });
        self[0] = connection;
        current = connection;
        ready = false;
        lastFrameAt = System.nanoTime();
        String query = options.device() == null ? ""
                : "?device=" + URLEncoder.encode(options.device(), StandardCharsets.UTF_8);
        connection.connect(http, URI.create(options.edge() + query), Map.of("Authorization", "Bearer " + token),
                options.connectTimeout()).whenCompleteAsync((opened, failure) -> {
                    if (failure != null && current == connection) {
                        Throwable cause = RelayHttpClient.unwrap(failure);
                        if (cause instanceof WebSocketHandshakeException refused
                                && refused.getResponse().statusCode() == 401) {
                            tokens.refresh();
                        }
                        listener.onError(cause);
                        lost(connection, -1, "could not open: " + cause);
                    }
                }, executor);
    }

    private void onFrame(StreamConnection connection, String text) {
        if (connection != current) {
            return;
        }
        lastFrameAt = System.nanoTime();
        ServerFrame frame;
        try {
            frame = json.readValue(text, ServerFrame.class);
        } catch (Exception e) {
            listener.onError(RelayException.local("bad-frame", "unparsable frame from the server: " + e.getMessage()));
            return;
        }
        // null: a frame type added later, which API.md lets servers add and clients ignore.
        if (frame == null || !options.frameFilter().test(frame)) {
            return;
        }
        switch (frame) {
            case ServerFrame.Hello hello -> onHello(connection, hello.heartbeatSeconds());
            case ServerFrame.MessagePush push -> delivery.onPush(push.message());
            case ServerFrame.Signal signal -> listener.onSignal(signal);
            case ServerFrame.Receipt receipt -> listener.onReceipt(receipt);
            case ServerFrame.Membership membership -> listener.onMembership(membership);
            case ServerFrame.Resync resync -> delivery.requestSync();
            case ServerFrame.Draining draining -> onDraining(connection, draining.reconnectAfterMs());
            case ServerFrame.Pong pong -> { }
            case ServerFrame.Error error -> listener.onError(
                    RelayException.local(error.code(), "server refused a frame: " + error.detail()));
        }
    }

    private void onHello(StreamConnection connection, int heartbeatSeconds) {
        ready = true;
        failuresBeforeHello = 0;
        drainReconnectAt = null;
        long beatMs = Math.max(1, heartbeatSeconds > 0 ? heartbeatSeconds : 25) * 1000L;
        stopHeartbeat();
        // Ping twice per heartbeat; the server answers pong, so two heartbeats of silence mean a dead link.
        heartbeat = executor.scheduleAtFixedRate(() -> {
            if (connection != current) {
                return;
            }
            if (System.nanoTime() - lastFrameAt > TimeUnit.MILLISECONDS.toNanos(2 * beatMs)) {
                current = null;
                connection.abort();
                disconnected(SILENT, "server silent");
                return;
            }
            write(connection, new ClientFrame.Ping());
        }, beatMs / 2, beatMs / 2, TimeUnit.MILLISECONDS);
        later(() -> {
            if (connection == current) {
                backoff.reset();
            }
        }, options.stableAfter().toMillis());
        setState(StateChange.of(ConnectionState.CONNECTED));
        firstConnect.complete(null);
        wakeOnline();
        // Whatever was committed while this device was away, or pushed to the previous connection.
        delivery.requestSync();
        tokens.refreshIn().ifPresent(in -> later(() -> {
            if (connection == current) {
                tokens.refresh().exceptionally(failure -> {
                    post(() -> listener.onError(RelayHttpClient.unwrap(failure)));
                    return null;
                });
            }
        }, in.toMillis()));
    }

    private void onDraining(StreamConnection connection, long reconnectAfterMs) {
        long delay = Math.max(0, reconnectAfterMs);
        drainReconnectAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        // The server closes with 1001; if it has not by then, leave ourselves and move on.
        later(() -> {
            if (connection == current) {
                current = null;
                connection.close(1000, "draining");
                disconnected(1000, "draining");
            }
        }, delay);
    }

    /** A connection ended by itself; ignored unless it is the current one. */
    private void lost(StreamConnection connection, int code, String reason) {
        if (connection != current) {
            return;
        }
        current = null;
        disconnected(code, reason);
    }

    /** The current connection is gone ({@link #current} already cleared): reconnect, or stop for good. */
    private void disconnected(int code, String reason) {
        boolean wasReady = ready;
        ready = false;
        stopHeartbeat();
        if (closed) {
            return;
        }
        if (!wasReady) {
            failuresBeforeHello++;
        }
        if (code == REPLACED) {
            closed = true;
            delivery.stop();
            onReplaced.run();
            wakeOnline();
            setState(new StateChange(ConnectionState.CLOSED, code, reason, null));
            return;
        }
        Duration delay;
        if (drainReconnectAt != null) {
            delay = Duration.ofNanos(Math.max(0, drainReconnectAt - System.nanoTime()));
            drainReconnectAt = null;
        } else if (code == TOKEN_EXPIRED) {
            tokens.refresh();
            delay = wasReady ? Duration.ZERO : backoff.next();
        } else {
            // 4009 (too slow) and 4008 included: reconnect, and the hello's sync catches up.
            delay = backoff.next();
        }
        retryLater(code, reason, delay);
    }

    private void retryLater(Integer code, String reason, Duration delay) {
        setState(new StateChange(ConnectionState.DISCONNECTED, code, reason, delay));
        later(this::open, delay.toMillis());
    }

    private void write(StreamConnection connection, ClientFrame frame) {
        if (connection == null) {
            return;
        }
        try {
            connection.send(json.writerFor(ClientFrame.class).writeValueAsString(frame));
        } catch (Exception e) {
            listener.onError(e);
        }
    }

    private void setState(StateChange change) {
        state = change.state();
        listener.onState(change);
    }

    private void wakeOnline() {
        List<CompletableFuture<Void>> waiters = List.copyOf(onlineWaiters);
        onlineWaiters.clear();
        waiters.forEach(waiter -> waiter.complete(null));
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    private void later(Runnable task, long delayMs) {
        try {
            executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closedAlready) {
            // the client is closed
        }
    }

    private void post(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closedAlready) {
            // the client is closed
        }
    }
}
