package dev.relay.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./relay status}: whether a {@code ./relay up} runs on this data directory and the health of
 * each part: Redis answers PING, DynamoDB Local answers HTTP, Kafka accepts connections, and each
 * app's {@code /q/health/ready} says UP. Exit status 0 when everything is healthy, 1 when a part is
 * not, 3 when nothing runs.
 */
public final class RelayStatus {

    private static final Pattern DOWN_CHECK =
            Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"status\"\\s*:\\s*\"DOWN\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** One part's health: healthy or not, and a few words on it. */
    record Health(boolean healthy, String detail) {
    }

    private RelayStatus() {
    }

    public static void main(String[] args) {
        Path data = RelayHome.locate().dataDir();
        Optional<StackState> running = StackState.running(data);
        if (running.isEmpty()) {
            System.out.println("relay: not running (no ./relay up on " + data + ")");
            System.exit(3);
        }
        StackState state = running.get();
        Duration up = Duration.between(state.since(), Instant.now());
        System.out.printf("relay: %s, pid %d, since %s (%d min %d s), data in %s%n",
                state.ready() ? "up" : "starting", state.pid(), state.since(), up.toMinutes(), up.toSecondsPart(), data);
        // Checked all at once: on a loaded machine one answer can take seconds.
        Map<String, CompletableFuture<Health>> checks = new LinkedHashMap<>();
        try (ExecutorService checkers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            state.ports().forEach((part, port) ->
                    checks.put(part, CompletableFuture.supplyAsync(() -> check(part, port), checkers)));
        }
        List<Health> all = new ArrayList<>();
        for (Map.Entry<String, Integer> part : state.ports().entrySet()) {
            Health health = checks.get(part.getKey()).join();
            all.add(health);
            String detail = health.healthy() || state.ready() ? health.detail() : "not up yet (" + health.detail() + ")";
            System.out.printf("  %-15s %-6d %s%n", part.getKey(), part.getValue(), detail);
        }
        System.exit(all.stream().allMatch(Health::healthy) ? 0 : 1);
    }

    static Health check(String part, int port) {
        return switch (part) {
            case "kafka" -> FreePorts.listening(port) ? new Health(true, "up (accepts connections)") : down();
            case "redis" -> redisPing(port);
            case "dynamodb" -> answersHttp(port);
            default -> appReady(port);
        };
    }

    private static Health down() {
        return new Health(false, "DOWN (nothing listens)");
    }

    /** Refused means nothing listens; a timeout means something listens but does not answer in time. */
    private static Health unreachable(IOException e) {
        return e instanceof java.net.http.HttpTimeoutException || e instanceof java.net.SocketTimeoutException
                ? new Health(false, "NOT ANSWERING (no answer within " + TIMEOUT.toSeconds() + " s)")
                : down();
    }

    private static Health redisPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
            return reply.startsWith("+PONG") ? new Health(true, "up (PONG)") : new Health(false, "DOWN (answered " + reply.trim() + ")");
        } catch (IOException e) {
            return unreachable(e);
        }
    }

    private static Health answersHttp(int port) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding());
            return new Health(true, "up (answers HTTP)");
        } catch (IOException e) {
            return unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down();
        }
    }

    private static Health appReady(int port) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return new Health(true, "ready");
            }
            List<String> failing = new ArrayList<>();
            Matcher m = DOWN_CHECK.matcher(response.body());
            while (m.find()) {
                failing.add(m.group(1));
            }
            return new Health(false, "NOT READY (HTTP " + response.statusCode()
                    + (failing.isEmpty() ? "" : "; down: " + String.join(", ", failing)) + ")");
        } catch (IOException e) {
            return unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down();
        }
    }
}
