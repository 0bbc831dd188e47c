package dev.relay.client;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.Message;

/**
 * What a {@link RelayClient} reports. Every method is called on the client's own thread, one call
 * at a time and never concurrently, so an implementation needs no locking of its own; it must not
 * block (hand long work to another executor).
 */
public interface RelayListener {

    default void onState(StateChange change) {
    }

    /** Each stored message exactly once, in seq order per conversation (1, 2, 3, … after the cursor). */
    default void onMessage(Message message, Delivery delivery) {
    }

    /** An at-most-once signal (typing, live state); may be lost, never repeated. */
    default void onSignal(ServerFrame.Signal signal) {
    }

    default void onReceipt(ServerFrame.Receipt receipt) {
    }

    default void onMembership(ServerFrame.Membership membership) {
    }

    /** Something went wrong that the client handles by itself (a failed sync, a refused frame, a retry). */
    default void onError(Throwable error) {
    }
}
