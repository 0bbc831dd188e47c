package dev.relay.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import dev.relay.localstack.AppProcess;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Sends/s and latency of {@code POST /v1/conversations/{id}/messages} (exactly-once) against a real
 * ingest-fn process, beside DynamoDB Local's own ceiling for the same transactions measured in the
 * same run, before and after. Usage: {@code load-tests/run ingest [seconds] [concurrency] [conversations]
 * [max warm-up seconds]}: DynamoDB Local before its floor, and ingest-fn before its sends, are
 * warmed up with the same load until their JIT compilers have settled ({@link WarmUp}, 300 s at most).
 */
public final class IngestBenchmark {

    private static final ObjectMapper JSON = RelayJson.newMapper();

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int conversations = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Duration maxWarmUp = Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 300);
        RelayHome home = RelayHome.locate();
        Report report = new Report("ingest", "ingest-fn send throughput");
        report.line("- load: %d s, %d concurrent senders over %d conversations, exactly-once, ~60-byte bodies"
                .formatted(seconds, concurrency, conversations));

        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests());
             DynamoDbClient dynamoDb = stack.dynamoDb().client(DynamoDbFloor.pooledHttp())) {
            // DynamoDB Local runs several times faster once its JIT has warmed up: warm it before any floor counts.
            WarmUp.Result floorWarmUp = WarmUp.until(maxWarmUp,
                    duration -> DynamoDbFloor.sendShapedTransactions(dynamoDb, concurrency, duration));
            ProcessCpu.Sample floorStart = ProcessCpu.sample();
            DynamoDbFloor.Result before = DynamoDbFloor.sendShapedTransactions(dynamoDb, concurrency, Duration.ofSeconds(seconds / 2));
            ProcessCpu.Sample floorEnd = ProcessCpu.sample();

            Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
            config.put("quarkus.log.level", "WARN");
            config.putAll(benchmarkOverrides());
            AppProcess ingest = AppProcess.start(home, "ingest-fn", 18081, config, stack.dynamoDb().inMemory()
                    ? java.nio.file.Files.createTempDirectory("relay-bench-") : home.root().resolve(".relay/bench"));
            try {
                ingest.awaitReady(Duration.ofSeconds(120));
                Senders senders = Senders.create(stack, ingest.port(), conversations);
                // ingest-fn starts cold like DynamoDB Local did: the same sends, unmeasured, until its JIT has settled.
                WarmUp.Result ingestWarmUp = WarmUp.until(maxWarmUp, duration -> senders.run(duration, concurrency));
                String app = "http://127.0.0.1:" + ingest.port();
                Map<String, Double> countersBefore = counters(app);
                ProcessCpu.Sample cpuBefore = ProcessCpu.sample();
                SendRun run = senders.run(Duration.ofSeconds(seconds), concurrency);
                ProcessCpu.Sample cpuAfter = ProcessCpu.sample();
                Map<String, Double> counted = counters(app);
                counted.replaceAll((name, value) -> value - countersBefore.getOrDefault(name, 0.0));
                DynamoDbFloor.Result after = DynamoDbFloor.sendShapedTransactions(dynamoDb, concurrency, Duration.ofSeconds(seconds / 2));
                double floor = Math.max(before.perSecond(), after.perSecond());
                report.line("- warm-up before the floor: " + floorWarmUp.describe())
                        .line("- warm-up of ingest-fn (after the floor): " + ingestWarmUp.describe())
                        .line("")
                        .line("| measured | rate | latency |")
                        .line("|---|---|---|")
                        .line("| DynamoDB Local floor before (a send's TransactWriteItems, 4 items) | %.0f tx/s | %s |"
                                .formatted(before.perSecond(), Latencies.percentiles(before.latencies().snapshot())))
                        .line("| ingest-fn sends (HTTP 201) | %.0f sends/s | %s |"
                                .formatted(run.perSecond(), Latencies.percentiles(run.latencies().snapshot())))
                        .line("| DynamoDB Local floor after | %.0f tx/s | %s |"
                                .formatted(after.perSecond(), Latencies.percentiles(after.latencies().snapshot())))
                        .line("")
                        .line("- ingest reached **%.0f %%** of the higher floor (target ≥ 80 %%)".formatted(100 * run.perSecond() / floor))
                        .line("- answers by status: " + run.statuses());
                double sends = Math.max(1, run.sends());
                report.line("")
                        .line("Inside ingest-fn during the measured sends (deltas of its /q/metrics):")
                        .line("")
                        .line("| measured | value |")
                        .line("|---|---|")
                        .line("| append (turn wait + transaction + retries), mean | %.1f ms |"
                                .formatted(mean(counted, "relay_ingest_commit_seconds")))
                        .line("| wait for Kafka's ack, mean | %.1f ms |".formatted(mean(counted, "relay_ingest_publish_seconds")))
                        .line("| append retries per send | %.2f |".formatted(counted.get("relay_ingest_append_retries_total") / sends))
                        .line("| Kafka acks recorded by the next append's transaction, per send | %.2f |"
                                .formatted(counted.get("confirmed by append") / sends))
                        .line("| Kafka acks recorded by a confirmation UpdateItem, per send | %.2f |"
                                .formatted(counted.get("confirmed by update") / sends));
                for (String operation : OPERATIONS) {
                    report.line("| DynamoDB %s per send | %.2f |".formatted(operation, counted.get(operation) / sends));
                }
                report.line("")
                        .line("Who had the CPU while ingest-fn was measured (from each process's CPU time):");
                ProcessCpu.report(report, cpuAfter.coresSince(cpuBefore), cpuAfter.jitCoresSince(cpuBefore),
                        run.perSecond(), "send");
                report.line("")
                        .line("and during the floor before it:");
                ProcessCpu.report(report, floorEnd.coresSince(floorStart), floorEnd.jitCoresSince(floorStart),
                        before.perSecond(), "transaction");
            } finally {
                ingest.stop();
            }
        }
        report.write(home.root());
    }

    private static final List<String> OPERATIONS = List.of("TransactWriteItems", "UpdateItem", "GetItem", "Query");

    /** The ingest-fn counters the report reads, by name (DynamoDB requests by operation name). */
    private static Map<String, Double> counters(String app) throws Exception {
        Map<String, Double> counters = new LinkedHashMap<>();
        for (String timer : List.of("relay_ingest_commit_seconds", "relay_ingest_publish_seconds")) {
            counters.put(timer + "_count", Http.metric(app, timer + "_count", ""));
            counters.put(timer + "_sum", Http.metric(app, timer + "_sum", ""));
        }
        counters.put("relay_ingest_append_retries_total", Http.metric(app, "relay_ingest_append_retries_total", ""));
        for (String by : List.of("append", "update")) {
            counters.put("confirmed by " + by, Http.metric(app, "relay_ingest_publish_confirmations_total", "by=\"" + by + "\""));
        }
        for (String operation : OPERATIONS) {
            counters.put(operation, Http.metric(app, "relay_dynamodb_requests_total", "operation=\"" + operation + "\""));
        }
        return counters;
    }

    private static double mean(Map<String, Double> counted, String timer) {
        double count = counted.get(timer + "_count");
        return count == 0 ? 0 : 1000 * counted.get(timer + "_sum") / count;
    }

    /** Limits that would otherwise measure the rate limiter instead of the send path. */
    private static Map<String, String> benchmarkOverrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String property : System.getProperties().stringPropertyNames()) {
            if (property.startsWith("relay.") && !property.equals("relay.home")) {
                overrides.put(property, System.getProperty(property));
            }
        }
        return overrides;
    }

    record SendRun(long sends, Duration elapsed, Latencies latencies, Map<Integer, Long> statuses) {
        double perSecond() {
            return sends / (elapsed.toNanos() / 1e9);
        }
    }

    /** One conversation per sender, created once; {@link #run} sends for a while and measures. */
    private record Senders(HttpClient http, String base, List<String> tokens, List<String> conversationIds) {

        static Senders create(LocalStack stack, int port, int conversations) throws Exception {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + port;
            List<String> tokens = new ArrayList<>();
            List<String> conversationIds = new ArrayList<>();
            for (int i = 0; i < conversations; i++) {
                String token = stack.tokens().forUser("bench-" + i);
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/conversations"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"members\":[\"bench-peer\"],\"title\":\"bench\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("creating a conversation failed: " + created.statusCode() + " " + created.body());
                }
                conversationIds.add(JSON.readTree(created.body()).get("conversationId").asText());
                tokens.add(token);
            }
            return new Senders(http, base, tokens, conversationIds);
        }

        SendRun run(Duration duration, int concurrency) throws Exception {
            int conversations = conversationIds.size();
            AtomicLong ok = new AtomicLong();
            Map<Integer, Long> statuses = new ConcurrentHashMap<>();
            Latencies latencies = new Latencies();
            long deadline = System.nanoTime() + duration.toNanos();
            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < concurrency; w++) {
                    int worker = w;
                    workers.add(pool.submit(() -> {
                        int n = 0;
                        while (System.nanoTime() < deadline) {
                            int c = (worker + n++ * concurrency) % conversations;
                            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/conversations/" + conversationIds.get(c) + "/messages"))
                                    .header("Authorization", "Bearer " + tokens.get(c))
                                    .header("Content-Type", "application/json")
                                    .header("Idempotency-Key", UUID.randomUUID().toString())
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"a benchmark message of a typical length, sixty bytes\"}"))
                                    .build();
                            long t0 = System.nanoTime();
                            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                            statuses.merge(response.statusCode(), 1L, Long::sum);
                            if (response.statusCode() == 201) {
                                ok.incrementAndGet();
                                latencies.recordNanos(System.nanoTime() - t0);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            }
            return new SendRun(ok.get(), Duration.ofNanos(System.nanoTime() - start), latencies, statuses);
        }
    }
}
