package dev.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.relay.e2e.RelayCluster.App;
import dev.relay.e2e.RelayCluster.Storage;
import dev.relay.localstack.DemoServer;
import dev.relay.localstack.RelayHome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript SDK (clients/js) and the demo page (demo/) against the whole system as real
 * processes. The node tests run in a child process with the cluster's URLs in their environment;
 * a third edge node, which only they use, can be killed, stopped and restarted on request over a
 * small control endpoint, so a test can crash the edge under a connected client mid-stream.
 */
class JsClientIT {

    private static RelayCluster cluster;
    private static HttpServer control;
    private static final RelayHome HOME = RelayHome.locate();

    @BeforeAll
    static void start() throws IOException {
        cluster = new RelayCluster("js-client", Storage.IN_MEMORY, EnumSet.allOf(App.class));
        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        control.createContext("/edge/", exchange -> {
            try (exchange) {
                String action = exchange.getRequestURI().getPath().substring("/edge/".length());
                int status = 204;
                switch (action) {
                    case "kill" -> cluster.kill(App.EDGE_C);
                    case "stop" -> cluster.stop(App.EDGE_C);
                    // Answers once the process is started: the clients find out it is up by reconnecting.
                    case "restart" -> cluster.startAgain(App.EDGE_C);
                    default -> status = 404;
                }
                System.out.println("JsClientIT: edge " + action + " -> " + status);
                exchange.sendResponseHeaders(status, -1);
            }
        });
        control.start();
    }

    @AfterAll
    static void stop() {
        if (control != null) {
            control.stop(0);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void nodeSdkTestsPassAgainstTheRealStack() throws Exception {
        Path sdk = HOME.root().resolve("clients/js");
        assertThat(run(sdk, Map.of(), "npm", "ci", "--no-audit", "--no-fund")).as("npm ci in clients/js").isZero();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RELAY_INGEST_URL", cluster.http(App.INGEST));
        env.put("RELAY_SYNC_URL", cluster.http(App.SYNC));
        env.put("RELAY_EDGE_URL", cluster.ws(App.EDGE_A));
        env.put("RELAY_KILLABLE_EDGE_URL", cluster.ws(App.EDGE_C));
        env.put("RELAY_CONTROL_URL", "http://127.0.0.1:" + control.getAddress().getPort());
        assertThat(run(sdk, env, "npm", "test")).as("node --test in clients/js (output above)").isZero();
    }

    @Test
    void browserDemoLetsAliceAndBobChat() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            assertThat(run(HOME.root(), Map.of(), "bash", "scripts/chromium.sh")).as("scripts/chromium.sh").isZero();
        }
        Path demo = HOME.root().resolve("demo");
        assertThat(run(demo, Map.of(), "npm", "ci", "--no-audit", "--no-fund")).as("npm ci in demo").isZero();
        assertThat(run(demo, Map.of(), "npm", "run", "build")).as("esbuild of the demo").isZero();
        Map<String, String> urls = Map.of(
                "ingestUrl", cluster.http(App.INGEST),
                "syncUrl", cluster.http(App.SYNC),
                "edgeUrl", cluster.ws(App.EDGE_B));
        Path screenshot = HOME.root().resolve("end-to-end/target/demo-chat.png");
        try (DemoServer site = DemoServer.start(demo.resolve("dist"), 0, urls)) {
            int exit = run(demo, Map.of("DEMO_URL", "http://127.0.0.1:" + site.port() + "/",
                    "DEMO_SCREENSHOT", screenshot.toString()), "node", "test/browser.mjs");
            assertThat(exit).as("demo/test/browser.mjs (output above)").isZero();
        }
        assertThat(screenshot).exists();
    }

    /** Runs a command, copying its output line by line into this test's log; its exit code. */
    private static int run(Path dir, Map<String, String> env, String... command) throws Exception {
        System.out.println("JsClientIT: " + dir + "$ " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("CI", "true");
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("  | " + line);
            }
        } finally {
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        }
        return process.exitValue();
    }

}
