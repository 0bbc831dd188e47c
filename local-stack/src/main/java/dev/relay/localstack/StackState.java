package dev.relay.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The running {@code ./relay up}, as {@code stack.properties} in its data directory: the launcher's
 * pid, since when, whether everything is ready yet, and the port of every part. Written by the
 * launcher and removed when it stops; {@code ./relay status} and {@code ./relay down} read it from
 * another terminal. A file whose pid is no longer a launcher is stale (the launcher was killed) and
 * describes nothing.
 *
 * @param ports part name (kafka, dynamodb, redis, then the apps) to its port, in start order
 */
public record StackState(long pid, Instant since, boolean ready, Map<String, Integer> ports) {

    static final String FILE = "stack.properties";

    public StackState {
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    }

    /** The stack of that data directory when its launcher is alive. */
    public static Optional<StackState> running(Path dataDir) {
        return read(dataDir).filter(state -> state.launcher().isPresent());
    }

    static Optional<StackState> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String part : properties.getProperty("parts", "").split(",")) {
                if (!part.isBlank()) {
                    ports.put(part, Integer.parseInt(properties.getProperty("port." + part)));
                }
            }
            return Optional.of(new StackState(Long.parseLong(properties.getProperty("pid")),
                    Instant.parse(properties.getProperty("since")),
                    Boolean.parseBoolean(properties.getProperty("ready")), ports));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** The launcher process, while it runs (a reused pid running something else does not count). */
    public Optional<ProcessHandle> launcher() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info().commandLine()
                .map(line -> line.contains(RelayUp.class.getName())).orElse(true));
    }

    StackState asReady() {
        return new StackState(pid, since, true, ports);
    }

    /** Replaces the file atomically, so a reader sees the old state or the new one. */
    void write(Path dataDir) {
        Properties properties = new Properties();
        properties.setProperty("pid", Long.toString(pid));
        properties.setProperty("since", since.toString());
        properties.setProperty("ready", Boolean.toString(ready));
        properties.setProperty("parts", String.join(",", ports.keySet()));
        ports.forEach((part, port) -> properties.setProperty("port." + part, Integer.toString(port)));
        try {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(FILE + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                properties.store(out, "the running ./relay up; removed when it stops");
            }
            Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the file if it still describes this launcher. */
    void remove(Path dataDir) {
        if (read(dataDir).filter(state -> state.pid() == pid).isPresent()) {
            try {
                Files.deleteIfExists(dataDir.resolve(FILE));
            } catch (IOException e) {
                System.err.println("relay: cannot remove " + dataDir.resolve(FILE) + ": " + e.getMessage());
            }
        }
    }
}
