package dev.relay.edge.delivery;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The edge's sub-second delivery timers (re-sends, gap holds, idle closes), which Quarkus's
 * scheduler cannot run faster than once a second. One platform thread off the event loop; each task
 * runs with a fixed delay after the previous run ended, so a slow run is never overlapped by the
 * next. Invariant: no task here does I/O or waits on a store (the DynamoDB watermark writes have
 * their own thread, {@link DeliveredSeqWriter}), so the schedule holds whatever a store does.
 */
@ApplicationScoped
public class FixedDelayTimers {

    private static final Logger LOG = Logger.getLogger(FixedDelayTimers.class);

    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("edge-timers").daemon().factory());

    /** Runs {@code task} every {@code delay} until shutdown; a failing run is logged and the next one runs. */
    public void every(Duration delay, String name, Runnable task) {
        long millis = Math.max(1, delay.toMillis());
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "timer %s failed", name);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }
}
