package dev.relay.load;

import dev.relay.localstack.AppProcess;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How many idle WebSocket connections one edge node holds and what each costs in heap: connect
 * {@code connections} clients (each its own user, so each registers presence in Redis), wait for
 * every {@code hello}, force a GC in the edge and compare its used heap and RSS with the empty node.
 * Usage: {@code load-tests/run edge [connections] [edge-heap]}.
 */
public final class EdgeBenchmark {

    private static final Duration PING_EVERY = Duration.ofSeconds(20);
    private static final Duration HOLD = Duration.ofSeconds(60);
    private static final int CONNECTS_IN_FLIGHT = 200;

    private EdgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long fdLimit = openFilesLimit();
        // Client and edge each hold one descriptor per connection; keep headroom for jars, sockets to Redis/DynamoDB.
        int wanted = args.length > 0 ? Integer.parseInt(args[0]) : (int) Math.min(50_000, fdLimit - 1_500);
        String heap = args.length > 1 ? args[1] : "2g";
        RelayHome home = RelayHome.locate();
        Report report = new Report("edge", "websocket-edge idle connections");
        report.line("- load: %d idle connections requested, one user each, edge heap -Xmx%s; each client pings every %d s as API.md asks"
                .formatted(wanted, heap, PING_EVERY.toSeconds()));

        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests())) {
            Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
            config.put("quarkus.log.level", "WARN");
            config.put("relay.edge.node-id", "edge-bench");
            AppProcess edge = AppProcess.start(home, "websocket-edge", 18082, config, Files.createTempDirectory("relay-bench-"),
                    List.of("-Xmx" + heap, "-XX:+UseG1GC"));
            List<WebSocket> sockets = new CopyOnWriteArrayList<>();
            ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
            try {
                edge.awaitReady(Duration.ofSeconds(120));
                long baseHeap = heapAfterGc(edge.pid());
                long baseRss = rssKib(edge.pid());
                AtomicInteger hellos = new AtomicInteger();
                // Idle is not silent: the edge closes a connection that sends nothing for 2 × heartbeatSeconds.
                pinger.scheduleWithFixedDelay(() -> sockets.forEach(EdgeBenchmark::ping),
                        PING_EVERY.toSeconds(), PING_EVERY.toSeconds(), TimeUnit.SECONDS);
                List<HttpClient> clients = new ArrayList<>();
                for (int i = 2; i < 10; i++) {
                    // Several loopback source addresses, so ephemeral ports do not run out.
                    clients.add(HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0." + i)).build());
                }
                long t0 = System.nanoTime();
                AtomicReference<String> failure = new AtomicReference<>();
                Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
                for (int i = 0; i < wanted && failure.get() == null; i++) {
                    inFlight.acquire();
                    int n = i;
                    clients.get(i % clients.size()).newWebSocketBuilder()
                            .connectTimeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + stack.tokens().forUser("idle-" + i))
                            .buildAsync(URI.create("ws://127.0.0.1:" + edge.port() + "/v1/stream"), new Idle(hellos))
                            .whenComplete((socket, error) -> {
                                if (socket != null) {
                                    sockets.add(socket);
                                } else {
                                    failure.compareAndSet(null, "connection " + n + " failed: " + error);
                                }
                                inFlight.release();
                            });
                }
                inFlight.acquire(CONNECTS_IN_FLIGHT);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (hellos.get() < sockets.size() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                double connectSeconds = (System.nanoTime() - t0) / 1e9;
                long heapNow = heapAfterGc(edge.pid());
                long rssNow = rssKib(edge.pid());
                int held = sockets.size();
                // Held for a while longer: still there after a few heartbeats means held, not just accepted.
                Thread.sleep(HOLD.toMillis());
                int stillOpen = (int) sockets.stream().filter(s -> !s.isInputClosed()).count();
                report.line("")
                        .line("| measured | value |")
                        .line("|---|---|")
                        .line("| connections held (hello received) | %d (%d hellos) in %.1f s |".formatted(held, hellos.get(), connectSeconds))
                        .line("| still open %d s later | %d |".formatted(HOLD.toSeconds(), stillOpen))
                        .line("| edge heap after GC: empty → loaded | %.1f MiB → %.1f MiB |".formatted(baseHeap / 1048576.0, heapNow / 1048576.0))
                        .line("| heap per connection | %.1f KiB |".formatted((heapNow - baseHeap) / 1024.0 / Math.max(1, held)))
                        .line("| edge RSS: empty → loaded | %.0f MiB → %.0f MiB (%.1f KiB per connection) |"
                                .formatted(baseRss / 1024.0, rssNow / 1024.0, (rssNow - baseRss) / (double) Math.max(1, held)))
                        .line("- stopped by: " + (failure.get() == null ? "reaching the requested count" : failure.get()))
                        .line("- limits on this machine: open files per process " + fdLimit
                                + " (client and edge each hold one descriptor per connection), 2 cores shared by client, edge, Redis");
            } finally {
                pinger.shutdownNow();
                sockets.forEach(WebSocket::abort);
                edge.stop();
            }
        }
        report.write(home.root());
    }

    private static void ping(WebSocket socket) {
        try {
            socket.sendText("{\"type\":\"ping\"}", true);
        } catch (IllegalStateException previousPingStillSending) {
            // the next round pings again
        }
    }

    private static final class Idle implements WebSocket.Listener {
        private final AtomicInteger hellos;
        private boolean greeted;

        Idle(AtomicInteger hellos) {
            this.hellos = hellos;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!greeted && data.toString().contains("\"hello\"")) {
                greeted = true;
                hellos.incrementAndGet();
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Used heap in bytes right after a full GC, read with jcmd from the edge JVM. */
    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("cannot read heap from: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static long rssKib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                .findFirst().orElse(-1);
    }

    /** The soft limit on open files of this process (the edge is started with the same). */
    private static long openFilesLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.replaceAll("\\s+", " ").trim().split(" ")[3]).mapToLong(Long::parseLong).findFirst().orElse(4096);
        } catch (IOException | NumberFormatException e) {
            return 4096;
        }
    }
}
