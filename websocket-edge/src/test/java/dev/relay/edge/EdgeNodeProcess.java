package dev.relay.edge;

import dev.relay.localstack.AppProcess;
import dev.relay.localstack.FreePorts;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A websocket-edge node as its own process, run from the packaged {@code quarkus-run.jar} against the
 * shared local stack, with short presence timers so expiry is observable in a test.
 */
final class EdgeNodeProcess implements AutoCloseable {

    /** Presence entries and node heartbeats of process nodes live this long past their last refresh. */
    static final Duration PRESENCE_TTL = Duration.ofSeconds(3);
    /** {@code draining.reconnectAfterMs} of process nodes is in [0, this). */
    static final Duration DRAIN_WINDOW = Duration.ofSeconds(2);

    private final String nodeId;
    private final AppProcess process;

    private EdgeNodeProcess(String nodeId, AppProcess process) {
        this.nodeId = nodeId;
        this.process = process;
    }

    /** Starts the node; call {@link #awaitReady()} before connecting. */
    static EdgeNodeProcess start(String nodeId) {
        RelayHome home = RelayHome.locate();
        Map<String, String> config = new LinkedHashMap<>(LocalStack.shared().quarkusConfig());
        config.put("relay.edge.node-id", nodeId);
        config.put("relay.edge.presence-ttl", PRESENCE_TTL.toMillis() + "ms");
        config.put("relay.edge.presence-refresh", "1s");
        // Test clients do not ping; keep them from being closed as silent during a test.
        config.put("relay.edge.heartbeat-seconds", "60");
        config.put("relay.edge.drain.window", DRAIN_WINDOW.toMillis() + "ms");
        // Below the watchdog's 10 s grace between SIGTERM and SIGKILL.
        config.put("relay.edge.drain.timeout", "7s");
        config.put("quarkus.log.level", "INFO");
        AppProcess process = AppProcess.start(home, "websocket-edge", FreePorts.next(), config,
                home.root().resolve("websocket-edge/target/it-logs").resolve(nodeId),
                List.of("-Xmx256m", "-XX:+UseSerialGC"));
        return new EdgeNodeProcess(nodeId, process);
    }

    void awaitReady() {
        process.awaitReady(Duration.ofSeconds(120));
    }

    String id() {
        return nodeId;
    }

    int port() {
        return process.port();
    }

    boolean alive() {
        return process.alive();
    }

    /** SIGKILL: no drain, no presence clean-up. */
    void kill() {
        process.kill();
    }

    /** SIGTERM: the node drains, then exits; returns once it exited. */
    void terminate() {
        process.stop();
    }

    @Override
    public void close() {
        process.stop();
    }

}
