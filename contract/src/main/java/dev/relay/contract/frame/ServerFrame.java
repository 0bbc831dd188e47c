package dev.relay.contract.frame;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.wire.Message;
import java.time.Instant;

/**
 * Every frame the edge sends to a client, one JSON text frame each, told apart by {@code type}.
 * Sealed, so a {@code switch} over frames is checked by the compiler.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerFrame.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = ServerFrame.MessagePush.class, name = "message"),
        @JsonSubTypes.Type(value = ServerFrame.Signal.class, name = "signal"),
        @JsonSubTypes.Type(value = ServerFrame.Receipt.class, name = "receipt"),
        @JsonSubTypes.Type(value = ServerFrame.Membership.class, name = "membership"),
        @JsonSubTypes.Type(value = ServerFrame.Resync.class, name = "resync"),
        @JsonSubTypes.Type(value = ServerFrame.Draining.class, name = "draining"),
        @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error")
})
public sealed interface ServerFrame {

    /** First frame on every connection. */
    record Hello(String connectionId, String node, int heartbeatSeconds) implements ServerFrame {
    }

    /** A stored message; re-sent until acked, in seq order per conversation. */
    record MessagePush(Message message) implements ServerFrame {
    }

    /** An at-most-once signal (typing, live state): pushed once to online members. */
    record Signal(String conversationId, String senderId, String body, JsonNode meta, Instant sentAt)
            implements ServerFrame {
    }

    /** A member's read mark rose. */
    record Receipt(String conversationId, String userId, long readSeq) implements ServerFrame {
    }

    /**
     * A conversation's membership changed: {@code userId} was {@code added} or {@code removed}. Sent by
     * the edge to every online member, the added or removed user included.
     */
    record Membership(String conversationId, String userId, String change) implements ServerFrame {
        public static final String ADDED = "added";
        public static final String REMOVED = "removed";
    }

    /** Something was skipped for this client; it must call {@code POST /v1/sync}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Resync(String conversationId, String reason) implements ServerFrame {
    }

    /** The node is shutting down; reconnect after the given delay. */
    record Draining(long reconnectAfterMs) implements ServerFrame {
    }

    /** Answer to {@code ping}. */
    record Pong() implements ServerFrame {
    }

    /** A client frame was bad; the connection stays open. */
    record Error(String code, String detail) implements ServerFrame {
    }
}
