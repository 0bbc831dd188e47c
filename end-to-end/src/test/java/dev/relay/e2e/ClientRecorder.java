package dev.relay.e2e;

import dev.relay.client.Delivery;
import dev.relay.client.RelayListener;
import dev.relay.client.StateChange;
import dev.relay.contract.wire.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Records what a Java SDK client showed and which states it went through; {@link #until} waits on
 * those events (checked again after each one), not on time.
 */
final class ClientRecorder implements RelayListener {

    record Shown(String conversationId, long seq, String body, Delivery via) {
    }

    private record Waiter(BooleanSupplier condition, CompletableFuture<Void> met) {
    }

    final List<Shown> shown = new CopyOnWriteArrayList<>();
    final List<StateChange> states = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private final String name;

    ClientRecorder(String name) {
        this.name = name;
    }

    @Override
    public void onMessage(Message message, Delivery delivery) {
        shown.add(new Shown(message.conversationId(), message.seq(), message.body(), delivery));
        check();
    }

    @Override
    public void onState(StateChange change) {
        System.out.println("JavaClientIT: " + name + " " + change);
        states.add(change);
        check();
    }

    @Override
    public void onError(Throwable error) {
        System.out.println("JavaClientIT: " + name + " error: " + error);
    }

    List<Long> seqsIn(String conversationId) {
        return shown.stream().filter(s -> s.conversationId().equals(conversationId)).map(Shown::seq).toList();
    }

    /** Waits until {@code condition} holds, re-checking it after every recorded event. */
    void until(String what, BooleanSupplier condition, Duration timeout) {
        Waiter waiter = new Waiter(condition, new CompletableFuture<>());
        waiters.add(waiter);
        check();
        try {
            waiter.met().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("timed out waiting for " + what + "; shown " + shown.size() + ", states " + states, e);
        } finally {
            waiters.remove(waiter);
        }
    }

    private void check() {
        for (Waiter waiter : waiters) {
            if (!waiter.met().isDone() && waiter.condition().getAsBoolean()) {
                waiter.met().complete(null);
            }
        }
    }
}
