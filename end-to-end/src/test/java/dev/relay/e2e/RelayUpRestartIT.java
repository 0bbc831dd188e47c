package dev.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import dev.relay.localstack.FreePorts;
import dev.relay.localstack.RelayHome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fresh-clone path of {@code ./relay}: {@code up}, send a message, Ctrl-C (SIGINT), {@code up}
 * again on the same data directory, and the message is still there; {@code status} sees every part
 * healthy and {@code down} stops the stack from outside. Neither start prints a WARN or ERROR line.
 * The launcher runs as {@code ./relay} runs it, on free ports moved with {@code RELAY_*_PORT}.
 */
class RelayUpRestartIT {

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Four app JVMs and three servers start at once on a small shared machine. */
    private static final Duration UP = Duration.ofSeconds(400);
    private static final Duration STOP = Duration.ofSeconds(150);

    private final RelayHome home = RelayHome.locate();

    @Test
    void aMessageSentBeforeCtrlCIsReadAfterTheNextUp(@TempDir Path data) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RELAY_DATA_DIR", data.toString());
        for (String variable : List.of("RELAY_KAFKA_PORT", "RELAY_DYNAMODB_PORT", "RELAY_REDIS_PORT",
                "RELAY_INGEST_PORT", "RELAY_EDGE_PORT", "RELAY_SYNC_PORT", "RELAY_FANOUT_PORT")) {
            env.put(variable, Integer.toString(FreePorts.next()));
        }
        String ingest = "http://127.0.0.1:" + env.get("RELAY_INGEST_PORT");
        String sync = "http://127.0.0.1:" + env.get("RELAY_SYNC_PORT");
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "sent before Ctrl-C " + UUID.randomUUID();
        Path logs = home.root().resolve("end-to-end/target/relay-up");
        Files.createDirectories(logs);

        Process first = launch("RelayUp", env, logs.resolve("first-up.log"));
        try {
            awaitLine(first, logs.resolve("first-up.log"), "relay: up in");
            String token = token(ingest, alice);
            String conversation = post(ingest + "/v1/conversations", token, "{\"members\":[\"bob\"],\"title\":\"restart\"}", null)
                    .get("conversationId").asText();
            post(ingest + "/v1/conversations/" + conversation + "/messages", token,
                    JSON.writeValueAsString(Map.of("body", body)), "k-" + UUID.randomUUID());
        } finally {
            // Ctrl-C: SIGINT to the launcher, whose shutdown stops the apps and then the servers.
            new ProcessBuilder("kill", "-INT", Long.toString(first.pid())).start().waitFor();
            assertThat(first.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)).as("first run stops on SIGINT").isTrue();
        }
        assertThat(data.resolve("stack.properties")).doesNotExist();
        assertThat(Files.readString(logs.resolve("first-up.log"))).contains("relay: stopped");

        Process second = launch("RelayUp", env, logs.resolve("second-up.log"));
        try {
            awaitLine(second, logs.resolve("second-up.log"), "relay: up in");
            assertThat(Files.readString(logs.resolve("second-up.log"))).contains("tables: 4 kept, 0 created");

            JsonNode synced = post(sync + "/v1/sync", token(ingest, alice), "{\"cursors\":{}}", null);
            List<String> bodies = new ArrayList<>();
            synced.get("messages").forEach(m -> bodies.add(m.get("body").asText()));
            assertThat(bodies).containsExactly(body);

            Process status = launch("RelayStatus", env, logs.resolve("status.log"));
            assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String statusOut = Files.readString(logs.resolve("status.log"));
            assertThat(status.exitValue()).as(statusOut).isZero();
            assertThat(statusOut).contains("relay: up, pid " + second.pid());
            for (String app : List.of("ingest-fn", "websocket-edge", "sync-fn", "fanout-fn")) {
                assertThat(statusOut).containsPattern(app + " +\\d+ +ready");
            }
        } finally {
            Process down = launch("RelayDown", env, logs.resolve("down.log"));
            assertThat(down.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(second.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)).as("second run stops on ./relay down").isTrue();
        }
        assertThat(Files.readString(logs.resolve("down.log"))).contains("relay: stopped in");
        Process status = launch("RelayStatus", env, logs.resolve("status-after.log"));
        assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(status.exitValue()).isEqualTo(3);

        for (String run : List.of("first-up.log", "second-up.log")) {
            assertThat(Files.readAllLines(logs.resolve(run))).as(run)
                    .noneMatch(line -> line.contains("WARN") || line.contains("ERROR") || line.contains("Exception"));
        }
    }

    /**
     * A launcher main class run as {@code ./relay} runs it: its own classpath, warnings only from the
     * clients. Through {@code env --default-signal=INT}, as a terminal runs it: a JVM that starts with
     * SIGINT ignored (a background job's children) keeps ignoring it, and Ctrl-C would do nothing.
     */
    private Process launch(String mainClass, Map<String, String> env, Path output) throws IOException {
        Path localStack = home.root().resolve("local-stack/target");
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drelay.home=" + home.root(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", localStack.resolve("classes") + ":" + localStack.resolve("lib") + "/*",
                "dev.relay.localstack." + mainClass)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Polls the launcher's output until the line shows, failing early (with the output) if it exits. */
    private static void awaitLine(Process process, Path output, String line) throws IOException {
        try {
            await("'" + line + "' in the launcher's output").atMost(UP).until(() -> {
                boolean shown = Files.readString(output, StandardCharsets.UTF_8).contains(line);
                assertThat(shown || process.isAlive()).as("launcher exited before '%s':%n%s", line, Files.readString(output)).isTrue();
                return shown;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + ":\n" + Files.readString(output, StandardCharsets.UTF_8), e);
        }
    }

    private static String token(String ingest, String user) throws Exception {
        return post(ingest + "/v1/dev/tokens", null, "{\"userId\":\"" + user + "\"}", null).get("token").asText();
    }

    private static JsonNode post(String url, String token, String json, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s → %s", url, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

}
