package dev.relay.ingest.append;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes this process's appends per conversation, so writers in one process queue in arrival
 * order instead of racing each other's transactions; races remain only between processes.
 *
 * <p>Each conversation that has an append holding or awaiting its turn has one fair lock, and no
 * other: appends to different conversations never wait for each other here (a hot conversation
 * cannot hold back another one, and both can share a group-committed transaction). A turn is
 * forgotten as soon as nobody holds or awaits it, so memory follows the appends in progress, not
 * the conversations ever seen.
 *
 * <p>One per process: the appender and the confirmation pass share it, so a write to the
 * conversation item outside an append ({@link #whenIdle}) never races this process's appends.
 */
@ApplicationScoped
public class ConversationTurns {

    /** Turns held or awaited right now; a turn leaves the map when its last user leaves it. */
    private final ConcurrentHashMap<String, Turn> turns = new ConcurrentHashMap<>();

    /** One conversation's turn, held by the thread that got it until {@link #release()}. */
    final class Turn {
        private final String conversationId;
        private final ReentrantLock lock = new ReentrantLock(true);
        /** Threads holding or awaiting this turn; changed only inside the map's atomic compute of its key. */
        private int users;

        private Turn(String conversationId) {
            this.conversationId = conversationId;
        }

        /** Gives the turn to the longest-waiting append of the conversation, if any. */
        void release() {
            lock.unlock();
            leave(this);
        }
    }

    /**
     * Runs {@code write} in the conversation's turn if no append of this process holds or awaits it;
     * returns false without running it otherwise. Never waits.
     */
    public boolean whenIdle(String conversationId, Runnable write) {
        Turn turn = tryNow(conversationId);
        if (turn == null) {
            return false;
        }
        try {
            write.run();
            return true;
        } finally {
            turn.release();
        }
    }

    /** The held turn if nobody holds or awaits the conversation's turn right now, else null; never waits. */
    Turn tryNow(String conversationId) {
        Turn[] taken = new Turn[1];
        turns.compute(conversationId, (id, current) -> {
            if (current != null) {
                return current;
            }
            Turn fresh = new Turn(id);
            fresh.users = 1;
            // Nobody else can see it yet, so this never blocks.
            fresh.lock.lock();
            taken[0] = fresh;
            return fresh;
        });
        return taken[0];
    }

    /** The held turn, or null when it did not come within {@code maxWait}. */
    Turn await(String conversationId, Duration maxWait) {
        Turn turn = turns.compute(conversationId, (id, current) -> {
            Turn joined = current == null ? new Turn(id) : current;
            joined.users++;
            return joined;
        });
        boolean held = false;
        try {
            held = turn.lock.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            return held ? turn : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to append", e);
        } finally {
            if (!held) {
                leave(turn);
            }
        }
    }

    /** Conversations whose turn is held or awaited (bounded by the appends in progress). */
    int active() {
        return turns.size();
    }

    private void leave(Turn turn) {
        turns.computeIfPresent(turn.conversationId, (id, current) -> --current.users == 0 ? null : current);
    }
}
