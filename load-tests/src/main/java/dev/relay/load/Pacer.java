package dev.relay.load;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Calls a task at a fixed rate on the calling thread: the i-th call is due at {@code start + i / rate}.
 * A call that runs late is not made up by a burst beyond the schedule; the next one starts at once.
 */
final class Pacer {

    private Pacer() {
    }

    @FunctionalInterface
    interface Tick {
        void run(long index) throws Exception;
    }

    /** @return how many calls were made */
    static long run(double perSecond, Duration duration, Tick tick) throws Exception {
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long i = 0;
        while (true) {
            long due = start + i * interval;
            if (due >= end) {
                return i;
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            tick.run(i++);
        }
    }
}
