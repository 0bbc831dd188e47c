package dev.relay.localstack;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The lifecycle every local server shares: started as a {@link ServerProcess} (under its watchdog,
 * output to {@code <dir>/<name>.log}), ready once its own probe answers, stopped, killed, frozen and
 * thawed. A server adds only what is its own: its command line, its readiness probe, its data.
 * At most one process per server: {@link #start()} while running is a no-op.
 */
abstract sealed class WatchedServer implements LocalServer permits KafkaServer, DynamoDbServer, RedisServer {

    /** Where the server's log (and, unless it says otherwise, its data) lives. */
    final Path dir;
    private ServerProcess process;

    WatchedServer(Path dir) {
        this.dir = dir;
    }

    /** The server's command line, run in {@link #dir}; may prepare the data directory first. */
    abstract List<String> command();

    /** Returns once the server answers as its clients need; {@link #awaitAnswer} polls each probe. */
    abstract void awaitReady();

    @Override
    public final synchronized void start() {
        if (running()) {
            return;
        }
        process = ServerProcess.start(name(), command(), dir, dir.resolve(name() + ".log"));
        awaitReady();
    }

    @Override
    public final synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    @Override
    public final synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    @Override
    public final synchronized boolean running() {
        return process != null && process.alive();
    }

    /**
     * SIGSTOP: the server hangs with its port, connections and data kept, as a store that stops
     * answering (not one that refuses): callers wait for their own timeouts. {@link #thaw()} resumes it.
     */
    public final synchronized void freeze() {
        requireProcess().signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}: the server answers again, with everything it held. */
    public final synchronized void thaw() {
        requireProcess().signal("CONT");
    }

    /**
     * Polls {@code probe} until it holds; fails at once, with the log's tail, if the process exits,
     * and after {@code atMost} with {@code what}.
     */
    final void awaitAnswer(String what, Duration atMost, BooleanSupplier probe) {
        ServerProcess started = process;
        await(what).atMost(atMost).until(() -> {
            started.requireAlive();
            return probe.getAsBoolean();
        });
    }

    private ServerProcess requireProcess() {
        if (process == null || !process.alive()) {
            throw new IllegalStateException(name() + " is not running");
        }
        return process;
    }
}
