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
import java.util.TreeMap;
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
 * same run, in alternating slices. Usage: {@code load-tests/run ingest [seconds] [concurrency]
 * [conversations] [max warm-up seconds]}: DynamoDB Local, then ingest-fn, are warmed up with their
 * load until their JIT compilers have settled ({@link WarmUp}, 300 s at most).
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
        Map<String, String> overrides = benchmarkOverrides();
        report.line("- ingest-fn config: " + (overrides.isEmpty() ? "its `local` profile (the profile every app the benchmarks start runs)" : "its `local` profile but " + overrides));

        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests());
             DynamoDbClient dynamoDb = stack.dynamoDb().client(DynamoDbFloor.pooledHttp())) {
            // DynamoDB Local runs several times faster once its JIT has warmed up: warm it before any floor counts.
            // Each floor thread writes as many conversations in turn as each sender does.
            int perSender = Math.max(1, conversations / concurrency);
            WarmUp.Result floorWarmUp = WarmUp.until(maxWarmUp, duration ->
                    DynamoDbFloor.sendShapedTransactions(dynamoDb, concurrency, perSender, duration, new Latencies()));

            Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
            config.put("quarkus.log.level", "WARN");
            config.putAll(overrides);
            AppProcess ingest = AppProcess.start(home, "ingest-fn", 18081, config, stack.dynamoDb().inMemory()
                    ? java.nio.file.Files.createTempDirectory("relay-bench-") : home.root().resolve(".relay/bench"));
            try {
                ingest.awaitReady(Duration.ofSeconds(120));
                Senders senders = Senders.create(stack, ingest.port(), conversations);
                // ingest-fn starts cold like DynamoDB Local did: the same sends, unmeasured, until its JIT has settled.
                WarmUp.Result ingestWarmUp = WarmUp.until(maxWarmUp, duration -> senders.run(duration, concurrency, new Latencies()));
                String app = "http://127.0.0.1:" + ingest.port();

                // DynamoDB Local's own rate swings by ±20 % from one 15 s slice to the next (same load, same CPU),
                // so the floor and ingest-fn are measured in alternating slices, A B B A, over the same minutes.
                Tally floor = new Tally();
                Tally sends = new Tally();
                Map<String, Double> counted = new LinkedHashMap<>();
                Map<Integer, Long> statuses = new TreeMap<>();
                int slices = Math.max(1, seconds / (int) SLICE.toSeconds());
                for (int i = 0; i < 2 * slices; i++) {
                    if (i % 4 == 0 || i % 4 == 3) {
                        ProcessCpu.Sample from = ProcessCpu.sample();
                        DynamoDbFloor.Result slice = DynamoDbFloor.sendShapedTransactions(dynamoDb, concurrency, perSender, SLICE,
                                floor.latencies);
                        floor.add(slice.transactions(), from, ProcessCpu.sample());
                    } else {
                        // Scraped outside the sampled time, so the scrape's work is not counted as the sends'.
                        Map<String, Double> countersBefore = counters(app);
                        ProcessCpu.Sample from = ProcessCpu.sample();
                        SendRun slice = senders.run(SLICE, concurrency, sends.latencies);
                        sends.add(slice.sends(), from, ProcessCpu.sample());
                        counters(app).forEach((name, value) ->
                                counted.merge(name, value - countersBefore.getOrDefault(name, 0.0), Double::sum));
                        slice.statuses().forEach((status, count) -> statuses.merge(status, count, Long::sum));
                    }
                }
                report.line("- warm-up before the floor: " + floorWarmUp.describe())
                        .line("- warm-up of ingest-fn (after the floor's): " + ingestWarmUp.describe())
                        .line("- measured: %d s of each, in alternating %d s slices (floor, ingest, ingest, floor, …)"
                                .formatted(slices * SLICE.toSeconds(), SLICE.toSeconds()))
                        .line("")
                        .line("| measured | rate | per slice | latency |")
                        .line("|---|---|---|---|")
                        .line("| DynamoDB Local floor (a send's TransactWriteItems, 4 items) | %.0f tx/s | %s | %s |"
                                .formatted(floor.perSecond(), floor.sliceRates(), Latencies.percentiles(floor.latencies.snapshot())))
                        .line("| ingest-fn sends (HTTP 201) | %.0f sends/s | %s | %s |"
                                .formatted(sends.perSecond(), sends.sliceRates(), Latencies.percentiles(sends.latencies.snapshot())))
                        .line("")
                        .line("- ingest reached **%.0f %%** of the floor (target ≥ 80 %%)".formatted(100 * sends.perSecond() / floor.perSecond()))
                        .line("- answers by status: " + statuses);
                double sent = Math.max(1, sends.done);
                report.line("")
                        .line("Inside ingest-fn during the measured sends (deltas of its /q/metrics):")
                        .line("")
                        .line("| measured | value |")
                        .line("|---|---|")
                        .line("| append (turn wait + transaction + retries), mean | %.1f ms |"
                                .formatted(mean(counted, "relay_ingest_commit_seconds")))
                        .line("| wait for Kafka's ack, mean | %.1f ms |".formatted(mean(counted, "relay_ingest_publish_seconds")))
                        .line("| append retries per send | %.2f |".formatted(counted.get("relay_ingest_append_retries_total") / sent))
                        .line("| Kafka acks recorded by the next append's transaction, per send | %.2f |"
                                .formatted(counted.get("confirmed by append") / sent))
                        .line("| Kafka acks recorded by a confirmation UpdateItem, per send | %.2f |"
                                .formatted(counted.get("confirmed by update") / sent));
                for (String operation : OPERATIONS) {
                    report.line("| DynamoDB %s per send | %.2f |".formatted(operation, counted.get(operation) / sent));
                }
                report.line("")
                        .line("Who had the CPU while ingest-fn was measured (from each process's CPU time):");
                ProcessCpu.report(report, sends.cores(), sends.jitCores(), sends.perSecond(), "send");
                report.line("")
                        .line("and during the floor's slices:");
                ProcessCpu.report(report, floor.cores(), floor.jitCores(), floor.perSecond(), "transaction");
            } finally {
                ingest.stop();
            }
        }
        report.write(home.root());
    }

    private static final List<String> OPERATIONS = List.of("TransactWriteItems", "UpdateItem", "GetItem", "Query");
    private static final Duration SLICE = Duration.ofSeconds(15);

    /** What some slices of the run did: units of work, time, latencies, and each process's CPU meanwhile. */
    private static final class Tally {
        final Latencies latencies = new Latencies();
        final List<Double> rates = new ArrayList<>();
        final Map<String, Double> cpuSeconds = new TreeMap<>();
        final Map<String, Double> jitSeconds = new TreeMap<>();
        long done;
        double seconds;

        void add(long units, ProcessCpu.Sample from, ProcessCpu.Sample to) {
            double wall = (to.nanoTime() - from.nanoTime()) / 1e9;
            done += units;
            seconds += wall;
            rates.add(units / wall);
            to.coresSince(from).forEach((role, cores) -> cpuSeconds.merge(role, cores * wall, Double::sum));
            to.jitCoresSince(from).forEach((role, cores) -> jitSeconds.merge(role, cores * wall, Double::sum));
        }

        double perSecond() {
            return done / seconds;
        }

        String sliceRates() {
            return String.join(", ", rates.stream().map(rate -> "%.0f".formatted(rate)).toList());
        }

        Map<String, Double> cores() {
            return perWallSecond(cpuSeconds);
        }

        Map<String, Double> jitCores() {
            return perWallSecond(jitSeconds);
        }

        private Map<String, Double> perWallSecond(Map<String, Double> cpu) {
            Map<String, Double> cores = new TreeMap<>();
            cpu.forEach((role, total) -> cores.put(role, total / seconds));
            return cores;
        }
    }

    /** The ingest-fn counters the report reads, by name (DynamoDB requests by operation name), from one scrape. */
    private static Map<String, Double> counters(String app) throws Exception {
        String metrics = Http.metrics(app);
        Map<String, Double> counters = new LinkedHashMap<>();
        for (String timer : List.of("relay_ingest_commit_seconds", "relay_ingest_publish_seconds")) {
            counters.put(timer + "_count", Http.sample(metrics, timer + "_count", ""));
            counters.put(timer + "_sum", Http.sample(metrics, timer + "_sum", ""));
        }
        counters.put("relay_ingest_append_retries_total", Http.sample(metrics, "relay_ingest_append_retries_total", ""));
        for (String by : List.of("append", "update")) {
            counters.put("confirmed by " + by, Http.sample(metrics, "relay_ingest_publish_confirmations_total", "by=\"" + by + "\""));
        }
        for (String operation : OPERATIONS) {
            counters.put(operation, Http.sample(metrics, "relay_dynamodb_requests_total", "operation=\"" + operation + "\""));
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

    record SendRun(long sends, Map<Integer, Long> statuses) {
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

        /** Sends for {@code duration}, recording the latency of each 201 into {@code latencies}. */
        SendRun run(Duration duration, int concurrency, Latencies latencies) throws Exception {
            int conversations = conversationIds.size();
            AtomicLong ok = new AtomicLong();
            Map<Integer, Long> statuses = new ConcurrentHashMap<>();
            long deadline = System.nanoTime() + duration.toNanos();
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
            return new SendRun(ok.get(), statuses);
        }
    }
}
