package dev.relay.edge.delivery;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.edge.config.DebugLogged;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One client connection on this node: its identity and presence epoch, its bad-frame, silence and
 * token-expiry limits, the {@link ConnectionStreams} of its stored messages and the
 * {@link SocketWriter} of its bounded outbound queue. Every method holds this object's lock, and the
 * streams and the writer run only under it, so frames from Redis, client frames, write completions
 * and timers see one consistent state; nothing here blocks.
 *
 * <p>Every way a connection ends (a server close with a code, the drain, the socket closing from
 * either side or failing) goes through {@link #end}: the first one releases everything once (queue,
 * streams and their unacked counts, the token-expiry timer, the close metric, and through
 * {@link ConnectionRelease} the registry, membership and presence); any later or concurrent one gets
 * the same completion and changes nothing. Acks were handed to {@link DeliveredSeqWriter} as they
 * came, so an end leaves no watermark behind to flush.
 */
public final class EdgeConnection {

    private static final Logger LOG = Logger.getLogger(EdgeConnection.class);

    private final WebSocketConnection socket;
    private final String userId;
    private final String device;
    private final long tokenExpiresAtMillis;
    private final ConnectionLimits limits;
    private final EdgeMetrics metrics;
    private final FrameJson json;
    private final DeliveredSeqWriter deliveredSeqs;
    private final ConnectionRelease release;
    private final SocketWriter writer;
    private final ConnectionStreams streams;
    private long epoch;
    private boolean registering;
    private int badFrames;
    private long lastHeardMillis;
    private Vertx vertx;
    /** The connection's event-loop context: where the release runs, outside this object's lock. */
    private Context context;
    private long expiryTimer = -1;
    private boolean closed;
    /** Set by the first end, completed once the socket is closed and the release done. */
    private CompletableFuture<Void> ended;

    EdgeConnection(WebSocketConnection socket, String userId, String device, long tokenExpiresAtMillis,
                   ConnectionLimits limits, EdgeMetrics metrics, FrameJson json, DeliveredSeqWriter deliveredSeqs,
                   ConnectionRelease release) {
        this.socket = socket;
        this.userId = userId;
        this.device = device;
        this.tokenExpiresAtMillis = tokenExpiresAtMillis;
        this.limits = limits;
        this.metrics = metrics;
        this.json = json;
        this.deliveredSeqs = deliveredSeqs;
        this.release = release;
        this.writer = new SocketWriter(socket,
                new OutboundQueue(limits.maxFrames(), limits.maxChars(), limits.maxInFlight(), metrics::queued),
                this::written);
        this.streams = new ConnectionStreams(limits, metrics, json, this::enqueue);
        this.lastHeardMillis = System.currentTimeMillis();
    }

    public String id() {
        return socket.id();
    }

    public String userId() {
        return userId;
    }

    public String device() {
        return device;
    }

    public synchronized long epoch() {
        return epoch;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Conversations this connection keeps push state for (only those something was pushed on). */
    public synchronized int conversationsTracked() {
        return streams.tracked();
    }

    /** Stored messages pushed here and not yet acked. */
    public synchronized int unackedCount() {
        return streams.unacked();
    }

    /** Sends {@code hello} first and closes with 4001 when the token expires; called on the connection's event loop. */
    synchronized void start(String nodeId, Vertx vertx) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        enqueue(json.write(new ServerFrame.Hello(id(), nodeId, limits.heartbeatSeconds())));
        long delay = Math.max(1, tokenExpiresAtMillis - System.currentTimeMillis());
        expiryTimer = vertx.setTimer(delay, timer -> close(CloseCodes.TOKEN_EXPIRED, "token expired"));
    }

    /**
     * Redis accepted this connection's presence entry with {@code epoch}. Only ever raised: when two
     * registrations of this connection race, Redis holds the later (higher) epoch, and so must this.
     */
    public synchronized void registered(long epoch) {
        this.epoch = Math.max(this.epoch, epoch);
        registering = false;
    }

    /** Starts a presence registration unless one is in flight; true when the caller should register. */
    public synchronized boolean startRegistering() {
        if (registering || closed) {
            return false;
        }
        registering = true;
        return true;
    }

    /** The registration failed (Redis unreachable): the next refresh tries again. */
    public synchronized void registrationFailed() {
        registering = false;
    }

    /** A newer connection of this user+device exists: close this one unless it is at least as new. */
    public synchronized void fence(long newerEpoch) {
        if (epoch != 0 && epoch < newerEpoch) {
            close(CloseCodes.REPLACED, "replaced by a newer connection");
        }
    }

    /** A frame routed to this connection: stored messages go through their stream, the rest once. */
    synchronized void deliver(ServerFrame frame, String text) {
        if (closed) {
            return;
        }
        if (frame instanceof ServerFrame.MessagePush push) {
            streams.offer(push.message().conversationId(), push.message().seq(), text,
                    userId.equals(push.message().senderId()), System.currentTimeMillis());
            if (streams.overLimits()) {
                close(CloseCodes.TOO_SLOW, "too many unacked messages");
            }
        } else {
            pushed(text, DeliveryRouter.conversationOf(frame).orElse(null));
        }
    }

    /**
     * The user left the conversation: forget everything of it here (unacked messages, held ones,
     * frames still waiting to be written), so nothing of it reaches this client from now on.
     */
    public synchronized void forget(String conversationId) {
        if (closed) {
            return;
        }
        writer.dropConversation(conversationId);
        streams.forget(conversationId);
    }

    /** A frame this node made for this client (e.g. {@code membership}); never dropped with a conversation. */
    public synchronized void push(String text) {
        if (!closed) {
            pushed(text, null);
        }
    }

    public synchronized void heard() {
        lastHeardMillis = System.currentTimeMillis();
    }

    public synchronized void ack(String conversationId, long seq) {
        if (closed) {
            return;
        }
        metrics.ack();
        long delivered = streams.ack(conversationId, seq, System.currentTimeMillis());
        if (delivered > 0) {
            deliveredSeqs.raise(conversationId, userId, delivered);
        }
    }

    public synchronized void pong(String pongText) {
        enqueue(pongText);
    }

    /** A client frame was bad: answer with {@code error}, close with 4008 after too many. */
    public synchronized void badFrame(String code, String detail) {
        if (++badFrames > limits.maxBadFrames()) {
            close(CloseCodes.TOO_MANY_BAD_FRAMES, "too many bad frames");
        } else {
            enqueue(json.write(new ServerFrame.Error(code, detail)));
        }
    }

    /** Timers: silence, re-sends, gap holds. */
    synchronized void tick(long now) {
        if (closed) {
            return;
        }
        if (now - lastHeardMillis > limits.silenceMillis()) {
            close(CloseCodes.IDLE, "no heartbeat");
            return;
        }
        streams.tick(now);
    }

    /** Shutdown: drop what is queued, say when to come back, close with 1001; completes when released. */
    public CompletableFuture<Void> drain(long reconnectAfterMs) {
        return end(CloseCodes.GOING_AWAY, () -> socket.sendText(json.write(new ServerFrame.Draining(reconnectAfterMs)))
                .onItemOrFailure().transformToUni((ok, failure) ->
                        socket.close(new CloseReason(CloseCodes.GOING_AWAY, "draining"))));
    }

    /** Drops the queue and closes with {@code code}; later frames are ignored. */
    public void close(int code, String reason) {
        end(code, () -> socket.close(new CloseReason(code, reason)));
    }

    /** The socket closed (either side, or after a failure): ends the connection unless something ended it first. */
    public CompletableFuture<Void> socketClosed() {
        return end(0, null);
    }

    /**
     * The one end of this connection. The first call marks it closed, releases what it holds here and
     * counts the close ({@code code} 0: the socket is already closed, nothing to send or count), then
     * closes the socket and hands the connection to {@link ConnectionRelease} on its event loop, outside
     * this lock; every other call returns the first one's completion and does nothing else. On the event
     * loop the release queues behind what runs there now, so an end racing the open still comes after the
     * open's membership join.
     */
    private synchronized CompletableFuture<Void> end(int code, Supplier<Uni<Void>> closeSocket) {
        if (ended != null) {
            return ended;
        }
        ended = new CompletableFuture<>();
        closed = true;
        writer.stop();
        streams.release();
        cancelExpiry();
        CompletableFuture<Void> socketClosed = CompletableFuture.completedFuture(null);
        if (code != 0) {
            metrics.closed(code);
            socketClosed = closeSocket.get()
                    .onFailure().invoke(DebugLogged.failure(LOG, "closing a socket with " + code))
                    .onFailure().recoverWithNull()
                    .subscribeAsCompletionStage();
        }
        CompletableFuture<Void> released = new CompletableFuture<>();
        if (context == null) {
            // not started yet (start() runs in the registry's open): nothing outside refers to it
            runRelease(released);
        } else {
            context.runOnContext(ignored -> runRelease(released));
        }
        CompletableFuture<Void> done = ended;
        CompletableFuture.allOf(socketClosed, released).whenComplete((ok, failure) -> done.complete(null));
        return done;
    }

    private void runRelease(CompletableFuture<Void> released) {
        try {
            release.release(this).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.debugf("releasing connection %s failed: %s", id(), failure.getMessage());
                }
                released.complete(null);
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "releasing connection %s failed", id());
            released.complete(null);
        }
    }

    private void pushed(String text, String conversationId) {
        metrics.push();
        enqueue(text, conversationId);
    }

    private void enqueue(String text) {
        enqueue(text, null);
    }

    private void enqueue(String text, String conversationId) {
        if (closed) {
            return;
        }
        if (!writer.offer(text, conversationId)) {
            close(CloseCodes.TOO_SLOW, "too slow: reconnect and sync");
        }
    }

    private synchronized void written(String text) {
        writer.written(text);
    }

    private void cancelExpiry() {
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
    }
}
