package dev.relay.ingest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Test fixture: waits until a condition holds, polling briefly, and fails with a message when it never does. */
final class Await {

    private static final long POLL_MS = 50;

    private Await() {
    }

    static void until(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
