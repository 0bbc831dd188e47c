package dev.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import dev.relay.e2e.RelayCluster.App;
import dev.relay.e2e.RelayCluster.Storage;
import dev.relay.localstack.LocalServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * DESIGN.md's first promise under faults: a crash of any one process between commit and delivery
 * delays a message but never loses it, and shows it once. The whole system runs as processes
 * ({@link RelayCluster}, DynamoDB Local on disk); a steady paced stream of exactly-once sends ({@link ExactlyOnceSender}, four
 * senders, four conversations) runs for the whole class, and four recipients ({@link ReferenceRecipient},
 * two homed on each edge node, each a member of every conversation) follow API.md's reference client.
 *
 * <p>Each test is one fault, injected mid-stream and healed while the stream goes on: SIGKILL then
 * restart of ingest-fn, fanout-fn, edge node A (its devices reconnect to B), sync-fn, Redis and the Kafka
 * broker (DynamoDB Local too, opt-in: see {@link #dynamoDbKilled()}), then a clean stop of Kafka, Redis and DynamoDB for
 * {@code relay.fault.outage} (default 30 s, DESIGN's figure; {@code -Drelay.fault.outage=PT10S} for a shorter run)
 * then start. For each: every seq up to what was committed when the part came back is shown once, in
 * order, with the message id and body its sender was given, at every recipient, within
 * {@code relay.fault.recovery-bound} (30 s) of the part being back (the 10 s target of issue 16 is a measured
 * figure, reported per phase, not an assertion: on a loaded 2-core machine recovery times stretch with the load); no 5xx but 503 + {@code Retry-After};
 * a store outage answers 503, never a hang; nothing in the dead-letter topic. The last test stops the
 * stream and checks the whole of it exactly. Every phase waits on observable state (readiness, counts of
 * answers, cursors), never on time, except the timed outages, whose length is the fault itself.
 * Figures go to {@code end-to-end/target/fault-suite.md} (docs/reliability.md quotes them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int SENDERS = 4;
    private static final int RATE = Integer.getInteger("relay.fault.sends-per-second", 12);
    private static final int MIN_SENDS = Integer.getInteger("relay.fault.min-sends", 2000);
    private static final Duration RECOVERY_BOUND = Duration.parse(System.getProperty("relay.fault.recovery-bound", "PT30S"));
    private static final Duration OUTAGE = Duration.parse(System.getProperty("relay.fault.outage", "PT30S"));
    /** 2xx'd sends of a phase before its fault, and again once everything is back, so each fault is mid-stream. */
    private static final int SENDS_AROUND_FAULT = 30;
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final FaultSuiteReport report = new FaultSuiteReport(
            Path.of(System.getProperty("relay.home", "."), "end-to-end/target/fault-suite.md"));

    private static RelayCluster cluster;
    private static final SendLedger ledger = new SendLedger();
    private static final ExactlyOnceSender.Stats stats = new ExactlyOnceSender.Stats();
    private static final List<ExactlyOnceSender> senders = new ArrayList<>();
    private static final List<ReferenceRecipient> recipients = new ArrayList<>();
    private static final List<String> conversations = new ArrayList<>();
    private static ExecutorService sending;
    private static ScheduledExecutorService pacer;
    private static long suiteStarted;

    @BeforeAll
    static void start() throws Exception {
        suiteStarted = System.nanoTime();
        report.reset();
        cluster = new RelayCluster("fault-suite", Storage.ON_DISK, RelayCluster.LIVE_PATH);
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> senderIds = new ArrayList<>();
        List<String> recipientIds = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senderIds.add("sender" + i + "-" + run);
            recipientIds.add("reader" + i + "-" + run);
        }
        for (int i = 0; i < SENDERS; i++) {
            List<String> members = new ArrayList<>(recipientIds);
            members.add(senderIds.get((i + 1) % SENDERS));
            conversations.add(createConversation(senderIds.get(i), members));
        }
        for (int i = 0; i < recipientIds.size(); i++) {
            App home = i % 2 == 0 ? App.EDGE_A : App.EDGE_B;
            App other = home == App.EDGE_A ? App.EDGE_B : App.EDGE_A;
            recipients.add(new ReferenceRecipient(recipientIds.get(i), cluster.token(recipientIds.get(i)), "d1",
                    cluster.ws(home), cluster.ws(other), cluster.http(App.SYNC) + "/v1/sync"));
        }
        awaitUntil("every recipient connected to its home node", WAIT, () -> recipients.stream().allMatch(ReferenceRecipient::atHome));
        Semaphore pace = new Semaphore(0);
        pacer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("fault-suite-pace").daemon().factory());
        pacer.scheduleAtFixedRate(() -> {
            if (pace.availablePermits() < SENDERS) {
                pace.release();
            }
        }, 0, 1_000_000 / RATE, TimeUnit.MICROSECONDS);
        sending = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("fault-suite-sender-", 0).factory());
        for (int i = 0; i < SENDERS; i++) {
            // Sender i writes to its own conversation and to the previous sender's (where it is the added member).
            List<String> into = List.of(conversations.get(i), conversations.get((i + SENDERS - 1) % SENDERS));
            ExactlyOnceSender sender = new ExactlyOnceSender(senderIds.get(i), cluster.token(senderIds.get(i)),
                    () -> cluster.http(App.INGEST), into, pace, ledger, stats);
            senders.add(sender);
            sending.execute(sender);
        }
        report.line("| fault | sends 2xx'd in the phase | lost | shown twice | 503 (without Retry-After) | other 5xx | "
                + "timeouts | network errors | slowest answer | part back after | recovered after | dead letters |");
        report.line("|---|---|---|---|---|---|---|---|---|---|---|---|");
    }

    @AfterAll
    static void stop() {
        senders.forEach(ExactlyOnceSender::stop);
        if (sending != null) {
            sending.shutdownNow();
        }
        if (pacer != null) {
            pacer.shutdownNow();
        }
        recipients.forEach(ReferenceRecipient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void ingestKilled() {
        phase("ingest-fn SIGKILL", () -> cluster.kill(App.INGEST), attemptsAfterFault(8), () -> cluster.restart(App.INGEST), false);
    }

    @Test
    @Order(2)
    void fanoutKilled() {
        phase("fanout-fn SIGKILL", () -> cluster.kill(App.FANOUT), attemptsAfterFault(20), () -> cluster.restart(App.FANOUT), false);
    }

    @Test
    @Order(3)
    void edgeKilled() {
        List<ReferenceRecipient> onA = recipients.stream().filter(ReferenceRecipient::atHome)
                .filter(r -> cluster.ws(App.EDGE_A).equals(r.connectedTo())).toList();
        phase("websocket-edge (node A) SIGKILL", () -> cluster.kill(App.EDGE_A), () -> onA.stream()
                        .allMatch(r -> cluster.ws(App.EDGE_B).equals(r.connectedTo())),
                () -> cluster.restart(App.EDGE_A), false);
        onA.forEach(ReferenceRecipient::reconnectHome);
        awaitUntil("devices of node A back on it", WAIT, () -> recipients.stream().allMatch(ReferenceRecipient::atHome));
    }

    @Test
    @Order(4)
    void syncKilled() {
        phase("sync-fn SIGKILL", () -> cluster.kill(App.SYNC), attemptsAfterFault(20), () -> cluster.restart(App.SYNC), false);
    }

    @Test
    @Order(5)
    void redisKilled() {
        LocalServer redis = cluster.stack().redis();
        phase("Redis SIGKILL", () -> cluster.kill(redis), attemptsAfterFault(20), () -> cluster.restart(redis), false);
    }

    @Test
    @Order(6)
    void kafkaKilled() {
        LocalServer kafka = cluster.stack().kafka();
        phase("Kafka broker SIGKILL", () -> cluster.kill(kafka), attemptsAfterFault(10), () -> cluster.restart(kafka), false);
    }

    /**
     * Opt-in ({@code -Drelay.fault.dynamodb-sigkill=true}): DynamoDB Local is not crash-durable. In a run
     * of this phase it acknowledged an append and lost it on SIGKILL, and after the restart the same
     * seq went to another send (docs/reliability.md). AWS's DynamoDB acknowledges only durable writes,
     * so this measures the emulator, not Relay; the clean stop below runs by default.
     */
    @Test
    @Order(7)
    void dynamoDbKilled() {
        Assumptions.assumeTrue(Boolean.getBoolean("relay.fault.dynamodb-sigkill"),
                "DynamoDB Local SIGKILL is opt-in: -Drelay.fault.dynamodb-sigkill=true");
        LocalServer dynamoDb = cluster.stack().dynamoDb();
        phase("DynamoDB Local SIGKILL", () -> cluster.kill(dynamoDb), unavailableAfterFault(5), () -> cluster.restart(dynamoDb), true);
    }

    @Test
    @Order(8)
    void kafkaStopped() {
        LocalServer kafka = cluster.stack().kafka();
        timedOutage("Kafka broker stopped", kafka, false);
    }

    @Test
    @Order(9)
    void redisStopped() {
        LocalServer redis = cluster.stack().redis();
        timedOutage("Redis stopped", redis, false);
    }

    @Test
    @Order(10)
    void dynamoDbStopped() {
        LocalServer dynamoDb = cluster.stack().dynamoDb();
        timedOutage("DynamoDB Local stopped", dynamoDb, true);
    }

    /** The stream stops; every 2xx'd send of the whole suite is shown once, in order, at every recipient. */
    @Test
    @Order(100)
    void everySendThatGotA2xxIsShownOnceAndInOrderEverywhere() {
        awaitUntil(MIN_SENDS + " sends 2xx'd", Duration.ofSeconds(600), () -> ledger.ackedSends() >= MIN_SENDS);
        senders.forEach(ExactlyOnceSender::stop);
        sending.shutdown();
        try {
            assertThat(sending.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).as("senders finished their last send").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Map<String, Long> last = new LinkedHashMap<>();
        conversations.forEach(c -> last.put(c, ledger.highestSeq(c)));
        awaitUntil("every recipient shows every conversation up to " + last, WAIT, () -> caughtUp(last));
        SoftAssertions soft = new SoftAssertions();
        long shownTwice = 0;
        long lost = 0;
        for (String conversation : conversations) {
            NavigableMap<Long, SendLedger.Acked> acked = ledger.of(conversation);
            soft.assertThat(acked.keySet()).as("2xx'd seqs of %s: 1..%d without a hole (every stored send got its 2xx)",
                    conversation, last.get(conversation)).hasSize((int) (long) last.get(conversation));
            for (ReferenceRecipient recipient : recipients) {
                ShownCheck.Tally tally = ShownCheck.check(soft, ledger, recipient, conversation, last.get(conversation), true);
                shownTwice += tally.shownTwice();
                lost += tally.lost();
            }
        }
        soft.assertThat(shownTwice).as("messages shown twice").isZero();
        soft.assertThat(lost).as("2xx'd sends not shown as answered (recipient x send)").isZero();
        soft.assertThat(ledger.conflicts).as("contradicting answers").isEmpty();
        soft.assertThat(stats.unexpected).as("answers outside the protocol").isEmpty();
        soft.assertThat(cluster.deadLetters()).as("records in the dead-letter topic").isZero();
        recipients.forEach(r -> soft.assertThat(r.anomalies).as("protocol anomalies at %s", r.userId).isEmpty());
        long sends = ledger.ackedSends();
        report.line("");
        report.line(("Whole suite: %d sends 2xx'd (%d conversations, %d senders, %d recipients on 2 edge nodes), %d lost, %d shown twice; "
                        + "%d replays (200) of a retried key; %d raw pushes, %d gaps, %d resyncs, %d messages shown by sync; %.0f s.")
                        .formatted(sends, conversations.size(), SENDERS, recipients.size(), lost, shownTwice, stats.replays.get(),
                                recipients.stream().mapToLong(r -> r.rawPushes.get()).sum(),
                                recipients.stream().mapToLong(r -> r.gaps.get()).sum(),
                                recipients.stream().mapToLong(r -> r.resyncs.get()).sum(),
                                recipients.stream().mapToLong(r -> r.shownBySync.get()).sum(),
                                (System.nanoTime() - suiteStarted) / 1e9));
        report.recoverySummary(RECOVERY_BOUND);
        soft.assertAll();
    }

    private static void timedOutage(String name, LocalServer server, boolean storeOutage) {
        // The outage's length is the fault under test, not a wait for the system to settle.
        phase(name + " for " + OUTAGE.toSeconds() + " s", () -> {
            cluster.stop(server);
            await(server.name() + " to stay down for " + OUTAGE.toSeconds() + " s").during(OUTAGE)
                    .atMost(OUTAGE.plus(WAIT)).until(() -> !server.running());
        }, storeOutage ? unavailableAfterFault(5) : attemptsAfterFault(5), () -> cluster.restart(server), storeOutage);
    }

    private static Check attemptsAfterFault(int attempts) {
        return new Check("%d send attempts during the fault".formatted(attempts), s -> s.attempts() >= attempts);
    }

    private static Check unavailableAfterFault(int answers) {
        return new Check("%d 503 answers during the fault".formatted(answers), s -> s.unavailable() >= answers);
    }

    /** What must have happened while the fault lasts, judged on the answers counted since it began. */
    private record Check(String what, java.util.function.Predicate<ExactlyOnceSender.Snapshot> met) implements BooleanSupplier {
        private static ExactlyOnceSender.Snapshot since;

        @Override
        public boolean getAsBoolean() {
            return met.test(stats.snapshot().minus(since));
        }
    }

    private static void phase(String name, Runnable fault, BooleanSupplier duringFault, Runnable heal, boolean storeOutage) {
        ExactlyOnceSender.Snapshot atStart = stats.snapshot();
        stats.slowestAnswerMillis.set(0);
        long ackedAtStart = ledger.ackedSends();
        awaitUntil(SENDS_AROUND_FAULT + " sends before " + name, WAIT, () -> ledger.ackedSends() >= ackedAtStart + SENDS_AROUND_FAULT);

        long faultAt = System.nanoTime();
        Check.since = stats.snapshot();
        fault.run();
        awaitUntil((duringFault instanceof Check c ? c.what() : "the fault's effect") + " (" + name + ")", WAIT, duringFault);
        heal.run();
        long backAt = System.nanoTime();
        double backAfter = (backAt - faultAt) / 1e9;

        Map<String, Long> committed = new LinkedHashMap<>();
        conversations.forEach(c -> committed.put(c, ledger.highestSeq(c)));
        Duration measureFor = RECOVERY_BOUND.multipliedBy(4).compareTo(WAIT) > 0 ? RECOVERY_BOUND.multipliedBy(4) : WAIT;
        awaitUntil("every recipient shows what was 2xx'd when " + name + " was back: " + committed, measureFor, () -> caughtUp(committed));
        Duration recovered = Duration.ofNanos(System.nanoTime() - backAt);
        report.recovered(recovered);
        long ackedAtBack = ledger.ackedSends();
        awaitUntil(SENDS_AROUND_FAULT + " sends after " + name, WAIT, () -> ledger.ackedSends() >= ackedAtBack + SENDS_AROUND_FAULT);

        ExactlyOnceSender.Snapshot phase = stats.snapshot().minus(atStart);
        long deadLetters = cluster.deadLetters();
        SoftAssertions soft = new SoftAssertions();
        long shownTwice = 0;
        long lost = 0;
        for (String conversation : conversations) {
            for (ReferenceRecipient recipient : recipients) {
                ShownCheck.Tally tally = ShownCheck.check(soft, ledger, recipient, conversation, committed.get(conversation), false);
                shownTwice += tally.shownTwice();
                lost += tally.lost();
            }
        }
        report.line("| %s | %d | %d | %d | %d (%d) | %d | %d | %d | %d ms | %.1f s | %.1f s | %d |".formatted(name,
                ledger.ackedSends() - ackedAtStart, lost, shownTwice, phase.unavailable(), phase.unavailableWithoutRetryAfter(),
                phase.otherServerErrors(), phase.timeouts(), phase.networkErrors(), stats.slowestAnswerMillis.get(),
                backAfter, recovered.toMillis() / 1000.0, deadLetters));
        soft.assertThat(recovered).as("time from %s back to every recipient showing what was committed", name)
                .isLessThanOrEqualTo(RECOVERY_BOUND);
        soft.assertThat(shownTwice).as("messages shown twice").isZero();
        soft.assertThat(lost).as("2xx'd sends not shown as answered (recipient x send)").isZero();
        soft.assertThat(phase.otherServerErrors()).as("5xx other than 503: %s", stats.unexpected).isZero();
        soft.assertThat(phase.rejected()).as("4xx answers: %s", stats.unexpected).isZero();
        soft.assertThat(phase.unavailableWithoutRetryAfter()).as("503 without Retry-After").isZero();
        if (storeOutage) {
            soft.assertThat(phase.unavailable()).as("503 answers while the store was down").isPositive();
            soft.assertThat(phase.timeouts()).as("sends that hung past %s while the store was down", ExactlyOnceSender.REQUEST_TIMEOUT).isZero();
        }
        soft.assertThat(deadLetters).as("records in the dead-letter topic").isZero();
        soft.assertThat(ledger.conflicts).as("contradicting answers").isEmpty();
        recipients.forEach(r -> soft.assertThat(r.anomalies).as("protocol anomalies at %s", r.userId).isEmpty());
        soft.assertAll();
    }

    private static boolean caughtUp(Map<String, Long> seqs) {
        return recipients.stream().allMatch(r -> seqs.entrySet().stream().allMatch(e -> r.cursor(e.getKey()) >= e.getValue()));
    }

    private static String createConversation(String creator, List<String> members) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.http(App.INGEST) + "/v1/conversations"))
                .header("Authorization", "Bearer " + cluster.token(creator)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("members", members, "title", "faults"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("conversationId").asText();
    }

    /** Awaits observable state; a timeout names what was awaited and the state of every sender and recipient. */
    private static void awaitUntil(String what, Duration timeout, BooleanSupplier condition) {
        try {
            await(what).atMost(timeout).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; recipients: " + recipients.stream().map(FaultSuiteIT::describe).toList()
                    + "; sends: " + stats.snapshot() + "; unexpected: " + stats.unexpected, e);
        }
    }

    private static String describe(ReferenceRecipient r) {
        Map<String, Long> cursors = new LinkedHashMap<>();
        conversations.forEach(c -> cursors.put(c, r.cursor(c)));
        return r.userId + "@" + r.connectedTo() + " cursors " + cursors + " syncFailures " + r.syncFailures.get()
                + " connections " + r.connections.get() + " anomalies " + r.anomalies;
    }

}
