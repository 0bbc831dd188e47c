package dev.relay.contract.wire;

/** Answer (202) to an at-most-once send: handed to the live path, never stored. */
public record SignalAccepted(String conversationId, Qos qos) {

    public static SignalAccepted of(String conversationId) {
        return new SignalAccepted(conversationId, Qos.AT_MOST_ONCE);
    }
}
