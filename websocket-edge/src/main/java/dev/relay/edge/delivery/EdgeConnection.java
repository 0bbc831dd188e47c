package dev.relay.edge.delivery;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.edge.config.DebugLogged;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One client connection on this node: its identity, its bounded outbound queue and the per
 * conversation streams of stored messages. Every method holds this object's lock, so frames from
 * Redis, client frames and timers see one consistent state; nothing here blocks.
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
    private final OutboundQueue queue;
    private Map<String, ConversationStream> streams;
    private long epoch;
    private boolean registering;
    private int unacked;
    /** Characters of the unacked messages this connection keeps for re-sends. */
    private long unackedChars;
    private int badFrames;
    private long lastHeardMillis;
    private Vertx vertx;
    private long expiryTimer = -1;
    private boolean pumping;
    private boolean closed;

    EdgeConnection(WebSocketConnection socket, String userId, String device, long tokenExpiresAtMillis,
                   ConnectionLimits limits, EdgeMetrics metrics, FrameJson json, DeliveredSeqWriter deliveredSeqs) {
        this.socket = socket;
        this.userId = userId;
        this.device = device;
        this.tokenExpiresAtMillis = tokenExpiresAtMillis;
        this.limits = limits;
        this.metrics = metrics;
        this.json = json;
        this.deliveredSeqs = deliveredSeqs;
        this.queue = new OutboundQueue(limits.maxFrames(), limits.maxChars(), limits.maxInFlight(), metrics);
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
        return streams == null ? 0 : streams.size();
    }

    ConnectionLimits limits() {
        return limits;
    }

    /** Sends {@code hello} first and closes with 4001 when the token expires. */
    synchronized void start(String nodeId, Vertx vertx) {
        this.vertx = vertx;
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
            stream(push.message().conversationId()).offer(push.message().seq(), text,
                    userId.equals(push.message().senderId()), System.currentTimeMillis(), this);
            if (unacked > limits.maxUnacked() || unackedChars > limits.maxUnackedChars()) {
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
        queue.dropConversation(conversationId);
        ConversationStream stream = streams == null ? null : streams.remove(conversationId);
        if (stream != null) {
            stream.dropAll(this);
        }
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
        ConversationStream stream = streams == null ? null : streams.get(conversationId);
        if (stream == null) {
            // Nothing was pushed on it here: nothing to free and no delivery to prove. Keeping no
            // state for it means acks naming made-up conversations cannot grow this connection.
            return;
        }
        long delivered = stream.ack(seq, System.currentTimeMillis(), this);
        // Up to the user's own latest message, the append already wrote deliveredSeq: skip the write.
        if (delivered > stream.highestOwn()) {
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
        if (streams == null) {
            return;
        }
        for (ConversationStream stream : streams.values()) {
            if (!stream.idle()) {
                stream.tick(now, this);
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Shutdown: drop what is queued, say when to come back, close with 1001. */
    public synchronized CompletableFuture<Void> drain(long reconnectAfterMs) {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        queue.clear();
        streams = null;
        closed = true;
        cancelExpiry();
        metrics.closed(CloseCodes.GOING_AWAY);
        return socket.sendText(json.write(new ServerFrame.Draining(reconnectAfterMs)))
                .onItemOrFailure().transformToUni((ok, failure) ->
                        socket.close(new CloseReason(CloseCodes.GOING_AWAY, "draining")))
                .onFailure().recoverWithNull()
                .subscribeAsCompletionStage();
    }

    /** Drops the queue and closes with {@code code}; later frames are ignored. */
    public synchronized void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        streams = null;
        cancelExpiry();
        metrics.closed(code);
        socket.close(new CloseReason(code, reason)).subscribe().with(ok -> { }, DebugLogged.failure(LOG, "closing a socket with " + code));
    }

    /** The socket closed (either side): release what this connection counted. */
    public synchronized void closed() {
        if (!closed) {
            closed = true;
            queue.clear();
            cancelExpiry();
        }
        metrics.unackedDropped(unacked);
        unacked = 0;
        unackedChars = 0;
        streams = null;
    }

    // ---- called by ConversationStream under this lock ----

    void pushed(String text, String conversationId) {
        metrics.push();
        enqueue(text, conversationId);
    }

    void pushedStored(String text, String conversationId) {
        unacked++;
        unackedChars += text.length();
        metrics.unackedAdded();
        pushed(text, conversationId);
    }

    void resend(String text, String conversationId) {
        metrics.resend();
        enqueue(text, conversationId);
    }

    void resync(String conversationId, String reason) {
        enqueue(json.write(new ServerFrame.Resync(conversationId, reason)), conversationId);
    }

    void acked(long pushToAckMillis, int chars) {
        unacked--;
        unackedChars -= chars;
        metrics.unackedDropped(1);
        metrics.pushToAck(pushToAckMillis);
    }

    void unackedDropped(int count, long chars) {
        unacked -= count;
        unackedChars -= chars;
        metrics.unackedDropped(count);
    }

    private ConversationStream stream(String conversationId) {
        if (streams == null) {
            streams = new HashMap<>(4);
        }
        return streams.computeIfAbsent(conversationId, ConversationStream::new);
    }

    private void enqueue(String text) {
        enqueue(text, null);
    }

    private void enqueue(String text, String conversationId) {
        if (closed) {
            return;
        }
        if (!queue.offer(text, conversationId)) {
            close(CloseCodes.TOO_SLOW, "too slow: reconnect and sync");
            return;
        }
        pump();
    }

    /** Hands queued frames to the socket while the in-flight window allows; re-entrant safe. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            String next;
            while (!closed && (next = queue.nextToWrite()) != null) {
                String text = next;
                socket.sendText(text).subscribe().with(ok -> written(text), failure -> written(text));
            }
        } finally {
            pumping = false;
        }
    }

    private synchronized void written(String text) {
        if (closed) {
            return;
        }
        queue.written(text);
        pump();
    }

    private void cancelExpiry() {
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
    }
}
