package dev.relay.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server running as a child process under {@code watchdog.sh}, which ends the server when this
 * JVM is gone however it died (SIGKILL from a test runner included), so no server outlives its owner.
 * Output goes to a log file beside the server's data.
 */
final class ServerProcess {

    /** Beyond watchdog.sh's 60 s grace between SIGTERM and SIGKILL. */
    private static final long STOP_TIMEOUT_SECONDS = 75;

    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ServerProcess start(String name, List<String> command, Path workDir, Path log) {
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(log.getParent());
            List<String> watched = new ArrayList<>();
            watched.add("bash");
            watched.add(watchdogScript(workDir).toString());
            watched.add(Long.toString(ProcessHandle.current().pid()));
            watched.addAll(command);
            Process process = new ProcessBuilder(watched)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ServerProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Fails with the log's tail when the process has already exited. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; last lines of "
                    + log + ":\n" + LogTail.of(log, 30));
        }
    }

    /** SIGKILL to the server itself, as a crash would end it; its watchdog then exits too. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server's own process (the watchdog's child), while it runs. */
    java.util.Optional<ProcessHandle> serverHandle() {
        // The watchdog's other children are its short polling sleeps.
        return process.children().filter(p -> !p.info().command().orElse("").endsWith("/sleep")).findFirst();
    }

    /** Sends {@code signal} (a name such as {@code STOP} or {@code CONT}) to the server's own process. */
    void signal(String signal) {
        long pid = serverHandle().orElseThrow(() -> new IllegalStateException(name + " is not running")).pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    /** SIGTERM to the watchdog, which stops the server (SIGKILL after a grace period) and exits. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static Path watchdogScript(Path workDir) throws IOException {
        Path script = workDir.resolve(".watchdog.sh");
        try (InputStream in = ServerProcess.class.getResourceAsStream("watchdog.sh")) {
            if (in == null) {
                throw new IllegalStateException("watchdog.sh missing from the local-stack jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
