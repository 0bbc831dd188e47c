package dev.relay.contract.frame;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Every frame a client may send on the stream. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientFrame.Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = ClientFrame.Ping.class, name = "ping")
})
public sealed interface ClientFrame {

    /** Cumulative: everything up to {@code seq} in the conversation arrived. */
    record Ack(String conversationId, long seq) implements ClientFrame {
    }

    /** Keep-alive, at least every {@code heartbeatSeconds}. */
    record Ping() implements ClientFrame {
    }
}
