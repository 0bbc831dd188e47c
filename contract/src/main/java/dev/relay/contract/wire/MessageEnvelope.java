package dev.relay.contract.wire;

/**
 * Value of a record on topic {@code messages} (key = conversationId). Readers reject versions they
 * do not know (dead-lettered as poison) rather than guess.
 */
public record MessageEnvelope(int version, Message message) {

    public static final int CURRENT_VERSION = 1;

    public static MessageEnvelope of(Message message) {
        return new MessageEnvelope(CURRENT_VERSION, message);
    }
}
