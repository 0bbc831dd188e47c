package dev.relay.platform.dynamo;

/**
 * One user's membership of one conversation with its watermarks (both only ever rise).
 *
 * @param deliveredSeq highest seq any of the user's devices acknowledged
 * @param readSeq      highest seq the user marked read (sending counts as reading)
 */
public record Membership(String conversationId, long deliveredSeq, long readSeq) {
}
