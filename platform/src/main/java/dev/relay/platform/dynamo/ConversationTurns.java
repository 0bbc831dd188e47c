package dev.relay.platform.dynamo;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes this process's appends per conversation, so writers in one process queue in arrival
 * order instead of racing each other's transactions; races remain only between processes. A fixed
 * array of fair locks indexed by the conversation id's hash keeps memory bounded; two conversations
 * that share a stripe merely take turns.
 */
final class ConversationTurns {

    private static final int STRIPES = 1024;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    ConversationTurns() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock(true);
        }
    }

    /** The held turn if nobody holds or waits for it right now, else null. */
    ReentrantLock tryNow(String conversationId) {
        ReentrantLock lock = stripes[Math.floorMod(conversationId.hashCode(), STRIPES)];
        try {
            // The timed form honours fairness: it fails when others are queued, where tryLock() would barge.
            return lock.tryLock(0, TimeUnit.MILLISECONDS) ? lock : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The held turn, or null when it did not come within {@code maxWait}. */
    ReentrantLock await(String conversationId, Duration maxWait) {
        ReentrantLock lock = stripes[Math.floorMod(conversationId.hashCode(), STRIPES)];
        try {
            return lock.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS) ? lock : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to append", e);
        }
    }
}
