package dev.relay.load;

import dev.relay.contract.names.ConsumerGroups;
import dev.relay.contract.names.Topics;
import dev.relay.localstack.AppProcess;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A soak: the whole live path (ingest, fanout, two edge nodes) at a steady rate for minutes while
 * recipients keep connecting and disconnecting, with one row per minute of what would grow if
 * something leaked — each app's heap after the minute, live threads and open files, Redis's key
 * count, fanout's consumer lag on {@code messages} — and that minute's end-to-end latency. The last
 * lines compare the first and last minutes. Not a test: its figures go to the report.
 *
 * <p>Usage: {@code load-tests/run soak [minutes] [msg/s] [conversations]} (10, 50, 40).
 */
public final class SoakBenchmark {

    private static final String BODY_PAD = " of a typical length, about sixty bytes....";
    /** Every this many ms, one recipient in ten closes its socket and connects again (to the other node). */
    private static final long CHURN_MILLIS = 5_000;

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 50;
        int conversations = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        RelayHome home = RelayHome.locate();
        Report report = new Report("soak", "Soak: the live path at a steady rate with clients coming and going");
        report.line("- load: %.0f msg/s open loop for %d min, exactly-once, round robin over %d conversations of 2 members; every %d s one recipient in ten reconnects to the other edge node"
                        .formatted(rate, minutes, conversations, CHURN_MILLIS / 1000))
                .line("- apps: ingest-fn, fanout-fn, two websocket-edge nodes, each its own JVM (default heap); Kafka, DynamoDB Local, Redis as local-stack starts them")
                .line("- per minute: heap used after the minute (sum of pools, no forced GC), live threads and open files of each app, Redis DBSIZE, fanout's lag on `messages` (end offsets minus committed), end-to-end latency of that minute's messages");

        java.nio.file.Path logs = home.root().resolve("load-tests/target/soak-logs");
        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests());
             Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()));
             LivePathApps apps = LivePathApps.start(home, stack, logs)) {
            soak(report, stack, kafka, apps.ingest(), apps.all(), apps.edgeA(), apps.edgeB(), minutes, rate, conversations);
        }
        report.write(home.root());
    }

    private record Minute(int index, Map<String, long[]> apps, long redisKeys, long lag, Histogram latency, long sent,
                          long created, long reconnects) {
    }

    private static void soak(Report report, LocalStack stack, Admin kafka, AppProcess ingest, List<AppProcess> apps,
                             AppProcess edgeA, AppProcess edgeB, int minutes, double rate, int conversations) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + ingest.port();
        int total = (int) (rate * minutes * 60) + 1;
        long[] startedAt = new long[total];
        AtomicReferenceArray<Latencies> perMinute = new AtomicReferenceArray<>(minutes);
        for (int m = 0; m < minutes; m++) {
            perMinute.set(m, new Latencies());
        }
        List<String> conversationIds = new ArrayList<>();
        List<String> senderTokens = new ArrayList<>();
        List<String> recipientTokens = new ArrayList<>();
        Map<Integer, StreamClient> recipients = new ConcurrentHashMap<>();
        AtomicLong created = new AtomicLong();
        AtomicLong reconnects = new AtomicLong();
        long startNanos = System.nanoTime();
        for (int c = 0; c < conversations; c++) {
            String sender = "soak-sender-" + c;
            String recipient = "soak-recipient-" + c;
            senderTokens.add(stack.tokens().forUser(sender));
            recipientTokens.add(stack.tokens().forUser(recipient));
            conversationIds.add(Http.post(base + "/v1/conversations", senderTokens.get(c),
                    Map.of("members", List.of(recipient), "title", "soak"), 201).get("conversationId").asText());
        }
        for (int c = 0; c < conversations; c++) {
            recipients.put(c, connect(http, c % 2 == 0 ? edgeA : edgeB, recipientTokens.get(c), startedAt, perMinute, startNanos));
        }

        List<Minute> rows = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             var background = Executors.newScheduledThreadPool(1)) {
            background.scheduleAtFixedRate(() -> recipients.values().forEach(StreamClient::ping), 10, 10, java.util.concurrent.TimeUnit.SECONDS);
            AtomicLong churned = new AtomicLong();
            background.scheduleAtFixedRate(() -> {
                long round = churned.incrementAndGet();
                for (int c = (int) (round % 10); c < conversations; c += 10) {
                    StreamClient old = recipients.get(c);
                    old.close();
                    AppProcess node = (round + c) % 2 == 0 ? edgeA : edgeB;
                    recipients.put(c, connect(http, node, recipientTokens.get(c), startedAt, perMinute, startNanos));
                    reconnects.incrementAndGet();
                }
            }, CHURN_MILLIS, CHURN_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            long minuteNanos = Duration.ofMinutes(1).toNanos();
            AtomicLong sent = new AtomicLong();
            for (int m = 0; m < minutes; m++) {
                int minute = m;
                long createdBefore = created.get();
                long sentBefore = sent.get();
                long reconnectsBefore = reconnects.get();
                long from = (long) (rate * 60 * m);
                Pacer.run(rate, Duration.ofNanos(minuteNanos), i -> {
                    int index = (int) (from + i);
                    if (index >= total) {
                        return;
                    }
                    int c = index % conversations;
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/conversations/" + conversationIds.get(c) + "/messages"))
                            .header("Authorization", "Bearer " + senderTokens.get(c))
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", "soak-" + index)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"e2e " + index + BODY_PAD + "\"}"))
                            .build();
                    sent.incrementAndGet();
                    pool.submit(() -> {
                        startedAt[index] = System.nanoTime();
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 201) {
                            created.incrementAndGet();
                        }
                        return null;
                    });
                });
                Map<String, long[]> appFigures = new LinkedHashMap<>();
                for (AppProcess app : apps) {
                    appFigures.put(label(app, edgeA, edgeB), figures(app));
                }
                rows.add(new Minute(minute + 1, appFigures, redisKeys(stack.redis().port()), lag(kafka),
                        perMinute.get(minute).snapshot(), sent.get() - sentBefore, created.get() - createdBefore,
                        reconnects.get() - reconnectsBefore));
                Minute row = rows.getLast();
                System.out.printf("minute %d: sent %d, created %d, p99 %.1f ms, lag %d, redis keys %d%n", row.index(), row.sent(),
                        row.created(), row.latency().getValueAtPercentile(99) / 1000.0, row.lag(), row.redisKeys());
            }
            background.shutdownNow();
        } finally {
            recipients.values().forEach(StreamClient::close);
        }
        write(report, rows);
    }

    private static void write(Report report, List<Minute> rows) {
        List<String> names = new ArrayList<>(rows.getFirst().apps().keySet());
        StringBuilder header = new StringBuilder("| min | sent | 201 | reconnects | e2e p50 / p99 ms |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|---|");
        for (String name : names) {
            header.append(' ').append(name).append(" heap MiB / threads / files |");
            rule.append("---|");
        }
        header.append(" Redis keys | fanout lag |");
        rule.append("---|---|");
        report.line("").line(header.toString()).line(rule.toString());
        for (Minute row : rows) {
            StringBuilder line = new StringBuilder("| %d | %d | %d | %d | %.1f / %.1f |".formatted(row.index(), row.sent(), row.created(),
                    row.reconnects(), row.latency().getValueAtPercentile(50) / 1000.0, row.latency().getValueAtPercentile(99) / 1000.0));
            for (String name : names) {
                long[] f = row.apps().get(name);
                line.append(" %d / %d / %d |".formatted(f[0] >> 20, f[1], f[2]));
            }
            line.append(" %d | %d |".formatted(row.redisKeys(), row.lag()));
            report.line(line.toString());
        }
        Minute first = rows.size() > 1 ? rows.get(1) : rows.getFirst();
        Minute last = rows.getLast();
        report.line("").line("From minute %d (after the first, which includes start-up) to minute %d:".formatted(first.index(), last.index()));
        for (String name : names) {
            long[] a = first.apps().get(name);
            long[] b = last.apps().get(name);
            report.line("- %s: heap %d → %d MiB, threads %d → %d, open files %d → %d".formatted(name, a[0] >> 20, b[0] >> 20, a[1], b[1], a[2], b[2]));
        }
        report.line("- Redis keys %d → %d; fanout lag %d → %d; e2e p99 %.1f → %.1f ms".formatted(first.redisKeys(), last.redisKeys(),
                first.lag(), last.lag(), first.latency().getValueAtPercentile(99) / 1000.0, last.latency().getValueAtPercentile(99) / 1000.0));
        report.line("- heap is the used size at the end of each minute without a forced GC: a sawtooth is normal, a floor that keeps rising is a leak");
    }

    private static StreamClient connect(HttpClient http, AppProcess node, String token, long[] startedAt,
                                        AtomicReferenceArray<Latencies> perMinute, long startNanos) {
        return StreamClient.connect(http, "ws://127.0.0.1:" + node.port() + "/v1/stream", token, (message, arrived) -> {
            String body = message.get("body").asText();
            int index = Integer.parseInt(body.substring(4, body.indexOf(' ', 4)));
            long sentAt = startedAt[index];
            int minute = (int) ((arrived - startNanos) / Duration.ofMinutes(1).toNanos());
            if (sentAt != 0 && minute < perMinute.length()) {
                perMinute.get(minute).recordNanos(arrived - sentAt);
            }
        });
    }

    /** Heap used (bytes), live threads and open files of an app, from its /q/metrics. */
    private static long[] figures(AppProcess app) {
        try {
            String text = Http.metrics("http://127.0.0.1:" + app.port());
            return new long[] {
                (long) Http.sample(text, "jvm_memory_used_bytes", "area=\"heap\""),
                (long) Http.sample(text, "jvm_threads_live_threads", ""),
                (long) Http.sample(text, "process_files_open_files", "")};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long redisKeys(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(RedisPubSubFloor.command("DBSIZE"));
            return (Long) RedisPubSubFloor.read(socket.getInputStream());
        }
    }

    /** Records on {@code messages} that fanout's group has not committed yet. */
    private static long lag(Admin kafka) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(ConsumerGroups.FANOUT_MESSAGES)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        kafka.describeTopics(List.of(Topics.MESSAGES)).allTopicNames().get().get(Topics.MESSAGES).partitions()
                .forEach(p -> latest.put(new TopicPartition(Topics.MESSAGES, p.partition()), OffsetSpec.latest()));
        long lag = 0;
        for (var end : kafka.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    private static String label(AppProcess app, AppProcess edgeA, AppProcess edgeB) {
        return app == edgeA ? "edge A" : app == edgeB ? "edge B" : app.name();
    }

}
