package dev.relay.edge.delivery;

/** Where {@link ConnectionStreams} hands frames for the client: its connection's outbound queue. */
@FunctionalInterface
interface FrameSink {

    /** Queue {@code text} for the client; {@code conversationId} (or null) is what it is dropped with. */
    void send(String text, String conversationId);
}
