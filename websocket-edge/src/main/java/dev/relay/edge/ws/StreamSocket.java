package dev.relay.edge.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relay.contract.frame.ClientFrame;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.Ids;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.edge.delivery.FrameJson;
import dev.relay.edge.redis.ConversationChannelRegistry;
import dev.relay.edge.redis.PresenceRefresher;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code GET /v1/stream}: one authenticated client connection (see {@link TokenUpgradeCheck}).
 * Everything here runs on the connection's event loop and never blocks: presence and large
 * conversation look-ups complete asynchronously.
 */
@WebSocket(path = "/v1/stream")
public class StreamSocket {

    private final ConnectionRegistry connections;
    private final PresenceRefresher presence;
    private final ConversationChannelRegistry largeConversations;
    private final FrameJson json;
    private final String pong;

    public StreamSocket(ConnectionRegistry connections, PresenceRefresher presence,
                        ConversationChannelRegistry largeConversations, FrameJson json) {
        this.connections = connections;
        this.presence = presence;
        this.largeConversations = largeConversations;
        this.json = json;
        this.pong = json.write(new ServerFrame.Pong());
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection socket) {
        EdgeConnection connection = connections.open(socket,
                socket.userData().get(TokenUpgradeCheck.USER),
                socket.userData().get(TokenUpgradeCheck.DEVICE),
                socket.userData().get(TokenUpgradeCheck.EXPIRES_AT));
        presence.register(connection).subscribe().with(ok -> { }, failure -> { });
        largeConversations.join(connection).subscribe().with(ok -> { }, failure -> { });
    }

    @OnTextMessage
    @NonBlocking
    public void onText(String text, WebSocketConnection socket) {
        EdgeConnection connection = connections.byId(socket.id());
        if (connection == null) {
            return;
        }
        connection.heard();
        ClientFrame frame;
        try {
            frame = json.readClientFrame(text);
        } catch (JsonProcessingException e) {
            connection.badFrame("malformed-frame", "expected a JSON object with a known \"type\" (ack, ping)");
            return;
        }
        switch (frame) {
            case ClientFrame.Ping ping -> connection.pong(pong);
            case ClientFrame.Ack ack -> {
                if (!Ids.isConversationId(ack.conversationId()) || ack.seq() < 1) {
                    connection.badFrame("malformed-ack", "ack needs a valid conversationId and a seq >= 1");
                } else {
                    connection.ack(ack.conversationId(), ack.seq());
                }
            }
        }
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection socket) {
        EdgeConnection connection = connections.remove(socket.id());
        if (connection != null) {
            largeConversations.leave(connection);
            presence.unregister(connection).subscribe().with(ok -> { }, failure -> { });
        }
    }
}
