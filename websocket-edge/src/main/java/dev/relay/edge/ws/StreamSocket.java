package dev.relay.edge.ws;

import dev.relay.contract.frame.ClientFrame;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.edge.config.DebugLogged;
import dev.relay.edge.delivery.ClientFrameRead;
import dev.relay.edge.delivery.CloseCodes;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.edge.delivery.FrameJson;
import dev.relay.edge.membership.MembershipRegistry;
import dev.relay.edge.redis.PresenceRefresher;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import org.jboss.logging.Logger;

/**
 * {@code GET /v1/stream}: one authenticated client connection (see {@link TokenUpgradeCheck}).
 * Everything here runs on the connection's event loop and never blocks: presence and large
 * conversation look-ups complete asynchronously.
 */
@WebSocket(path = "/v1/stream")
public class StreamSocket {

    private static final Logger LOG = Logger.getLogger(StreamSocket.class);

    private final ConnectionRegistry connections;
    private final PresenceRefresher presence;
    private final MembershipRegistry membership;
    private final NodeConnectionRelease release;
    private final FrameJson json;
    private final String pong;

    public StreamSocket(ConnectionRegistry connections, PresenceRefresher presence,
                        MembershipRegistry membership, NodeConnectionRelease release, FrameJson json) {
        this.connections = connections;
        this.presence = presence;
        this.membership = membership;
        this.release = release;
        this.json = json;
        this.pong = json.write(new ServerFrame.Pong());
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection socket) {
        EdgeConnection connection = connections.open(socket,
                socket.userData().get(TokenUpgradeCheck.USER),
                socket.userData().get(TokenUpgradeCheck.DEVICE),
                socket.userData().get(TokenUpgradeCheck.EXPIRES_AT),
                release);
        presence.register(connection).subscribe().with(ok -> { }, DebugLogged.failure(LOG, "presence registration"));
        membership.join(connection);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(String text, WebSocketConnection socket) {
        EdgeConnection connection = connections.byId(socket.id());
        if (connection == null) {
            return;
        }
        connection.heard();
        switch (json.readClientFrame(text)) {
            case ClientFrameRead.Bad bad -> connection.badFrame(bad.code(), bad.detail());
            case ClientFrameRead.Valid valid -> {
                switch (valid.frame()) {
                    case ClientFrame.Ping ping -> connection.pong(pong);
                    case ClientFrame.Ack ack -> connection.ack(ack.conversationId(), ack.seq());
                }
            }
        }
    }

    /**
     * A failure of the connection itself. The only one a client can cause is a text frame over
     * {@code quarkus.websockets-next.server.max-message-size} (16 KiB), which Vert.x reports as an
     * overflow of its message buffer: that closes with 1009. Anything else is a bug here: 1011.
     */
    @OnError
    @NonBlocking
    public void onError(Throwable failure, WebSocketConnection socket) {
        EdgeConnection connection = connections.byId(socket.id());
        boolean tooBig = failure instanceof IllegalStateException
                && failure.getMessage() != null && failure.getMessage().contains("max message size");
        if (!tooBig) {
            LOG.warnf(failure, "stream connection failed");
        }
        int code = tooBig ? CloseCodes.MESSAGE_TOO_BIG : CloseCodes.SERVER_ERROR;
        String reason = tooBig ? "frame over 16 KiB" : "internal error";
        if (connection != null) {
            connection.close(code, reason);
        } else {
            socket.close(new CloseReason(code, reason)).subscribe().with(ok -> { }, DebugLogged.failure(LOG, "closing a failed socket"));
        }
    }

    /** Either side closed the socket: the connection's one end (a no-op when this node closed it first). */
    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection socket) {
        EdgeConnection connection = connections.byId(socket.id());
        if (connection != null) {
            connection.socketClosed();
        }
    }
}
