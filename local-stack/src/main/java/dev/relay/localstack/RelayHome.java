package dev.relay.localstack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The root of the Relay checkout, where the server classpaths ({@code local-stack/servers/*}/target/lib)
 * and the built apps live. Taken from {@code -Drelay.home} (set by Surefire and the {@code relay}
 * script), else found by walking up from the working directory.
 */
public record RelayHome(Path root) {

    public static RelayHome locate() {
        String configured = System.getProperty("relay.home");
        if (configured != null && !configured.isBlank()) {
            return new RelayHome(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("local-stack/servers"))) {
                return new RelayHome(dir);
            }
        }
        throw new IllegalStateException(
                "cannot find the Relay checkout: run from inside it or pass -Drelay.home=<path>");
    }

    /**
     * Where {@code ./relay up} keeps its data, logs and state file: {@code RELAY_DATA_DIR} when set,
     * else {@code .relay/} in the checkout.
     */
    public Path dataDir() {
        String configured = System.getenv("RELAY_DATA_DIR");
        return configured == null || configured.isBlank()
                ? root.resolve(".relay")
                : Path.of(configured).toAbsolutePath().normalize();
    }

    /** A server's copied runtime classpath, e.g. {@code serverLib("kafka")}; built by {@code ./mvnw install}. */
    public Path serverLib(String server) {
        Path lib = root.resolve("local-stack/servers").resolve(server).resolve("target/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: build first with ./relay build");
        }
        return lib;
    }
}
