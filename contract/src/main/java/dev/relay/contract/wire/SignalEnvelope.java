package dev.relay.contract.wire;

import dev.relay.contract.frame.ServerFrame;

/**
 * Value of a record on topic {@code signals} (key = conversationId): a live-only frame
 * ({@code signal} or {@code receipt}) for the online members of a conversation.
 */
public record SignalEnvelope(int version, String conversationId, ServerFrame frame) {

    public static final int CURRENT_VERSION = 1;

    public static SignalEnvelope of(String conversationId, ServerFrame frame) {
        return new SignalEnvelope(CURRENT_VERSION, conversationId, frame);
    }
}
