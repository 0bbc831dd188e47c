package dev.relay.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.localstack.AppProcess;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Catch-up of an offline user: {@code messages} messages over {@code conversations} conversations are
 * sent through ingest-fn, then the user calls {@code POST /v1/sync} until {@code hasMore} is false.
 * Reports the catch-up time, calls, DynamoDB requests per call (counted inside sync-fn), the cost of
 * a sync when nothing changed, and DynamoDB Local's own consistent Query rate in the same run.
 * Usage: {@code load-tests/run sync [messages] [conversations]}.
 */
public final class SyncBenchmark {

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int conversations = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        RelayHome home = RelayHome.locate();
        Report report = new Report("sync", "sync-fn catch-up");
        report.line("- load: %d messages over %d conversations, one reader offline throughout".formatted(messages, conversations));

        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests());
             DynamoDbClient dynamoDb = stack.dynamoDb().client(DynamoDbFloor.pooledHttp())) {
            Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
            config.put("quarkus.log.level", "WARN");
            config.put("quarkus.dynamodb.interceptors", "dev.relay.platform.dynamo.DynamoDbRequestCounter");
            config.put("relay.ingest.rate-limit.per-second", "100000");
            config.put("relay.ingest.rate-limit.burst", "100000");
            var logs = Files.createTempDirectory("relay-bench-");
            AppProcess ingest = AppProcess.start(home, "ingest-fn", 18081, config, logs);
            AppProcess sync = AppProcess.start(home, "sync-fn", 18083, config, logs);
            try {
                ingest.awaitReady(Duration.ofSeconds(120));
                sync.awaitReady(Duration.ofSeconds(120));
                String ingestUrl = "http://127.0.0.1:" + ingest.port();
                String syncUrl = "http://127.0.0.1:" + sync.port();
                String reader = stack.tokens().forUser("reader");

                List<String> ids = new ArrayList<>();
                for (int c = 0; c < conversations; c++) {
                    JsonNode created = Http.post(ingestUrl + "/v1/conversations", stack.tokens().forUser("writer-" + c),
                            Map.of("members", List.of("reader"), "title", "bench " + c), 201);
                    ids.add(created.get("conversationId").asText());
                }
                long t0 = System.nanoTime();
                write(stack, ingestUrl, ids, messages);
                double writeSeconds = (System.nanoTime() - t0) / 1e9;

                double requestsBefore = Http.metric(syncUrl, "relay_dynamodb_requests_total", "");
                Map<String, Long> cursors = new HashMap<>();
                Map<String, Long> received = new HashMap<>();
                int calls = 0;
                boolean hasMore = true;
                Latencies callLatency = new Latencies();
                long c0 = System.nanoTime();
                while (hasMore) {
                    long t = System.nanoTime();
                    JsonNode page = Http.post(syncUrl + "/v1/sync", reader, Map.of("cursors", cursors, "limit", 1000), 200);
                    callLatency.recordNanos(System.nanoTime() - t);
                    calls++;
                    for (JsonNode message : page.get("messages")) {
                        String conversation = message.get("conversationId").asText();
                        long seq = message.get("seq").asLong();
                        long expected = received.getOrDefault(conversation, 0L) + 1;
                        if (seq != expected) {
                            throw new IllegalStateException("gap or duplicate in " + conversation + ": got " + seq + ", expected " + expected);
                        }
                        received.put(conversation, seq);
                    }
                    page.get("cursors").fields().forEachRemaining(e -> cursors.put(e.getKey(), e.getValue().asLong()));
                    hasMore = page.get("hasMore").asBoolean();
                }
                double catchUpSeconds = (System.nanoTime() - c0) / 1e9;
                double requestsAfter = Http.metric(syncUrl, "relay_dynamodb_requests_total", "");
                long total = received.values().stream().mapToLong(Long::longValue).sum();

                double idleBefore = Http.metric(syncUrl, "relay_dynamodb_requests_total", "");
                int idleCalls = 20;
                Latencies idleLatency = new Latencies();
                for (int i = 0; i < idleCalls; i++) {
                    long t = System.nanoTime();
                    Http.post(syncUrl + "/v1/sync", reader, Map.of("cursors", cursors, "limit", 1000), 200);
                    idleLatency.recordNanos(System.nanoTime() - t);
                }
                double idleAfter = Http.metric(syncUrl, "relay_dynamodb_requests_total", "");

                DynamoDbFloor.Result floor = DynamoDbFloor.consistentQueries(dynamoDb, ids.getFirst(), 100, 4, Duration.ofSeconds(10));
                report.line("")
                        .line("| measured | value |")
                        .line("|---|---|")
                        .line("| messages written through ingest-fn | %d in %.1f s (%.0f/s) |".formatted(messages, writeSeconds, messages / writeSeconds))
                        .line("| messages received by catch-up | %d, gap-free and once each, %d conversations |".formatted(total, received.size()))
                        .line("| catch-up time | %.2f s in %d sync calls (limit 1000) |".formatted(catchUpSeconds, calls))
                        .line("| sync call latency | %s |".formatted(Latencies.percentiles(callLatency.snapshot())))
                        .line("| DynamoDB requests per catch-up call | %.1f |".formatted((requestsAfter - requestsBefore) / calls))
                        .line("| sync with nothing new (%d conversations) | %.1f DynamoDB requests per call; %s |"
                                .formatted(conversations, (idleAfter - idleBefore) / idleCalls, Latencies.percentiles(idleLatency.snapshot())))
                        .line("| DynamoDB Local floor: consistent Query of 100 items, 4 threads | %.0f queries/s; %s |"
                                .formatted(floor.perSecond(), Latencies.percentiles(floor.latencies().snapshot())));
                if (total != messages) {
                    throw new IllegalStateException("catch-up returned " + total + " of " + messages + " messages");
                }
            } finally {
                sync.stop();
                ingest.stop();
            }
        }
        report.write(home.root());
    }

    private static void write(LocalStack stack, String ingestUrl, List<String> ids, int messages) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                int c = i % ids.size();
                String token = stack.tokens().forUser("writer-" + c);
                String url = ingestUrl + "/v1/conversations/" + ids.get(c) + "/messages";
                int n = i;
                java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .header("Idempotency-Key", "bench-" + n)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"body\":\"catch-up message " + n + "\"}"))
                        .build();
                sends.add(pool.submit(() -> {
                    // The same key makes a retry safe: a send that did commit answers 200 replayed.
                    for (int attempt = 1; ; attempt++) {
                        int status = Http.send(request).statusCode();
                        if (status == 200 || status == 201) {
                            return null;
                        }
                        if (attempt == 10) {
                            throw new IllegalStateException("send kept failing with " + status);
                        }
                        Thread.sleep(100L * attempt);
                    }
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        }
    }
}
