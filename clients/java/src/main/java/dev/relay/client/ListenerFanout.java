package dev.relay.client;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.Message;
import java.util.List;
import java.util.function.Consumer;

/**
 * Calls every listener in order. A listener that throws is reported to the others' {@code onError}
 * and does not stop delivery: the cursor has already moved, so the message is not shown again.
 */
final class ListenerFanout implements RelayListener {

    private final List<RelayListener> listeners;

    ListenerFanout(List<RelayListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void onState(StateChange change) {
        each(l -> l.onState(change));
    }

    @Override
    public void onMessage(Message message, Delivery delivery) {
        each(l -> l.onMessage(message, delivery));
    }

    @Override
    public void onSignal(ServerFrame.Signal signal) {
        each(l -> l.onSignal(signal));
    }

    @Override
    public void onReceipt(ServerFrame.Receipt receipt) {
        each(l -> l.onReceipt(receipt));
    }

    @Override
    public void onMembership(ServerFrame.Membership membership) {
        each(l -> l.onMembership(membership));
    }

    @Override
    public void onError(Throwable error) {
        for (RelayListener listener : listeners) {
            try {
                listener.onError(error);
            } catch (RuntimeException ignored) {
                // a failing error handler has nobody left to tell
            }
        }
    }

    private void each(Consumer<RelayListener> call) {
        for (RelayListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                onError(e);
            }
        }
    }
}
