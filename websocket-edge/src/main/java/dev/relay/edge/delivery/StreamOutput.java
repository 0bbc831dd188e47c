package dev.relay.edge.delivery;

/**
 * What a {@link ConversationStream} needs from its connection ({@link ConnectionStreams}): frames out,
 * and the counts of what it keeps for re-sends. The stream calls it under its connection's lock and
 * never blocks on it.
 */
interface StreamOutput {

    /** First send of a stored message; from now on it counts as unacked until acked or dropped. */
    void pushed(String text, String conversationId);

    /** Another send of a message still unacked after the ack timeout. */
    void resent(String text, String conversationId);

    /** Tell the client to call sync for the conversation: {@code reason} is {@code gap} or {@code unacked}. */
    void resync(String conversationId, String reason);

    /** One unacked message of {@code chars} characters was acked, {@code pushToAckMillis} after its first send. */
    void acked(long pushToAckMillis, int chars);

    /** The stream dropped {@code count} unacked messages of {@code chars} characters without an ack. */
    void unackedDropped(int count, long chars);
}
