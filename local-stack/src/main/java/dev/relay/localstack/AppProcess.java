package dev.relay.localstack;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Relay app run from its built {@code quarkus-run.jar} as a watched child process. */
public final class AppProcess {

    private final String name;
    private final int port;
    private final ServerProcess process;

    private AppProcess(String name, int port, ServerProcess process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    public static AppProcess start(RelayHome home, String app, int port, Map<String, String> config, Path logDir) {
        return start(home, app, port, config, logDir, List.of("-Xmx512m"));
    }

    /** @param jvmOptions heap and GC options, e.g. {@code -Xmx2g} */
    public static AppProcess start(RelayHome home, String app, int port, Map<String, String> config, Path logDir,
                                   List<String> jvmOptions) {
        Path jar = home.root().resolve(app).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./relay build");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.profile=local");
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        ServerProcess process = ServerProcess.start(app, command, logDir.resolve(app), logDir.resolve(app + ".log"));
        return new AppProcess(app, port, process);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return process.log();
    }

    /**
     * Waits until {@code /q/health/ready} answers 200 from this app's own JVM. A 200 from another
     * process on the port (it took the free port before this app bound it) does not count: this app
     * then fails to bind and exits, and the wait fails with its log.
     */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        await(name + " to be ready on port " + port).atMost(timeout).until(() -> {
            process.requireAlive();
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && process.serverHandle().map(jvm -> PortOwners.notHeldByAnother(port, jvm.pid())).orElse(false);
            } catch (Exception notYet) {
                return false;
            }
        });
    }

    /** SIGKILL: the app dies as in a crash, with no shutdown hooks. */
    public void kill() {
        process.kill();
    }

    /** The JVM's process id, while it runs (for heap and thread measurements). */
    public long pid() {
        return process.serverHandle().orElseThrow(() -> new IllegalStateException(name + " is not running")).pid();
    }

    public boolean alive() {
        return process.alive();
    }

    /** SIGTERM, so the app drains (the edge tells its clients when to reconnect) before it exits. */
    public void stop() {
        process.stop();
    }
}
