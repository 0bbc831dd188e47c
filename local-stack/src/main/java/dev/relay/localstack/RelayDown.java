package dev.relay.localstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./relay down}: stops the {@code ./relay up} of this data directory, wherever it was started,
 * as Ctrl-C would: SIGTERM to the launcher, whose shutdown stops the apps gracefully and then the
 * servers. If the launcher has not finished within {@link #GRACE_SECONDS}, it is killed and the
 * children's watchdogs end them. Nothing running is not an error.
 */
public final class RelayDown {

    static final long GRACE_SECONDS = 120;

    private RelayDown() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path data = RelayHome.locate().dataDir();
        Optional<ProcessHandle> launcher = StackState.running(data).flatMap(StackState::launcher);
        if (launcher.isEmpty()) {
            System.out.println("relay: not running (no ./relay up on " + data + ")");
            return;
        }
        ProcessHandle process = launcher.get();
        // Taken before the signal: servers of a start still under way are ended by their watchdogs
        // only after the launcher has gone, and "stopped" must mean they are gone too.
        List<ProcessHandle> children = process.descendants().toList();
        long t0 = System.nanoTime();
        System.out.println("relay: stopping the stack of pid " + process.pid() + "…");
        process.destroy();
        try {
            process.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            for (ProcessHandle child : children) {
                child.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            }
            System.out.printf("relay: stopped in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            System.out.println("relay: pid " + process.pid() + " did not stop within " + GRACE_SECONDS
                    + " s and was killed; its servers' watchdogs stop them");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
