package dev.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import dev.relay.e2e.RelayCluster.App;
import dev.relay.e2e.RelayCluster.Storage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live path end to end: POST on ingest-fn → DynamoDB + Kafka → fanout-fn → Redis → the right
 * edge node → WebSocket client, with every app a real process and two edge nodes.
 */
class LivePathIT {

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static RelayCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RelayCluster("live-path", Storage.IN_MEMORY, RelayCluster.LIVE_PATH);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aThousandSendsReachMembersOnTwoNodesOnceAndInOrder() throws Exception {
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        try (StreamClient aliceOnA = StreamClient.connect(cluster.ws(App.EDGE_A), cluster.syncUrl(), cluster.token(alice));
             StreamClient bobOnB = StreamClient.connect(cluster.ws(App.EDGE_B), cluster.syncUrl(), cluster.token(bob))) {
            String conversation = createConversation(alice, List.of(bob));
            int sends = 1000;
            Map<String, Long> postedAt = sendConcurrently(alice, conversation, 0, sends, 8);

            awaitShown(aliceOnA, conversation, sends);
            awaitShown(bobOnB, conversation, sends);
            List<Long> expected = LongStream.rangeClosed(1, sends).boxed().toList();
            assertThat(aliceOnA.shownIn(conversation)).containsExactlyElementsOf(expected);
            assertThat(bobOnB.shownIn(conversation)).containsExactlyElementsOf(expected);
            awaitPushed(aliceOnA, conversation, sends);
            awaitPushed(bobOnB, conversation, sends);
            System.out.printf("live path: %d sends; raw pushes alice=%d bob=%d; gaps seen alice=%d bob=%d, shown by sync alice=%d bob=%d%n",
                    sends, aliceOnA.rawPushes.get(), bobOnB.rawPushes.get(), aliceOnA.gaps.get(), bobOnB.gaps.get(),
                    aliceOnA.shownBySync.get(), bobOnB.shownBySync.get());
            System.out.printf("live path end to end (POST sent → shown): alice on edge A %s; bob on edge B %s%n",
                    latencySummary(postedAt, aliceOnA, conversation), latencySummary(postedAt, bobOnB, conversation));
        }
    }

    @Test
    void aUserWithTwoDevicesOnTwoNodesGetsEveryMessageOnBoth() throws Exception {
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        String dave = "dave-" + UUID.randomUUID().toString().substring(0, 8);
        String token = cluster.token(dave);
        try (StreamClient phone = StreamClient.connect(cluster.ws(App.EDGE_A) + "?device=phone", cluster.syncUrl(), token);
             StreamClient laptop = StreamClient.connect(cluster.ws(App.EDGE_B) + "?device=laptop", cluster.syncUrl(), token)) {
            String conversation = createConversation(carol, List.of(dave));
            sendConcurrently(carol, conversation, 0, 100, 4);
            awaitShown(phone, conversation, 100);
            awaitShown(laptop, conversation, 100);
            awaitPushed(phone, conversation, 100);
            awaitPushed(laptop, conversation, 100);
            assertThat(phone.shownIn(conversation)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
            assertThat(laptop.shownIn(conversation)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        }
    }

    @Test
    void fanoutKilledMidStreamLosesNothingAtTheClients() throws Exception {
        String erin = "erin-" + UUID.randomUUID().toString().substring(0, 8);
        String frank = "frank-" + UUID.randomUUID().toString().substring(0, 8);
        try (StreamClient frankOnB = StreamClient.connect(cluster.ws(App.EDGE_B), cluster.syncUrl(), cluster.token(frank))) {
            String conversation = createConversation(erin, List.of(frank));
            int whileRunning = 200;
            int whileDown = 100;
            int sends = whileRunning + whileDown;
            int shownAtKill;
            try (ExecutorService background = Executors.newSingleThreadExecutor()) {
                Future<Map<String, Long>> sending = background.submit(() -> sendConcurrently(erin, conversation, 0, whileRunning, 2));
                awaitShown(frankOnB, conversation, 20);
                cluster.kill(App.FANOUT);
                shownAtKill = frankOnB.shownIn(conversation).size();
                // Committed while no fanout runs: only the restarted one can route these.
                sendConcurrently(erin, conversation, whileRunning, whileDown, 2);
                sending.get();
                cluster.restart(App.FANOUT);
            }
            assertThat(shownAtKill).isLessThan(sends);
            awaitShown(frankOnB, conversation, sends);
            assertThat(frankOnB.shownIn(conversation)).containsExactlyElementsOf(LongStream.rangeClosed(1, sends).boxed().toList());
            awaitPushed(frankOnB, conversation, sends);
            System.out.printf("fanout crash: %d sends, %d shown when SIGKILLed, %d raw pushes (duplicates on the wire are allowed), %d gaps seen, %d shown by sync%n",
                    sends, shownAtKill, frankOnB.rawPushes.get(), frankOnB.gaps.get(), frankOnB.shownBySync.get());
        }
    }

    private String createConversation(String creator, List<String> members) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.http(App.INGEST) + "/v1/conversations"))
                .header("Authorization", "Bearer " + cluster.token(creator)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("members", members, "title", "e2e"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("conversationId").asText();
    }

    /**
     * Sends {@code count} exactly-once messages ({@code "message <n>"}, n from {@code first}) from {@code threads} concurrent
     * senders; every answer must be 201. Returns each body's {@link System#nanoTime()} just before its POST.
     */
    private Map<String, Long> sendConcurrently(String sender, String conversation, int first, int count, int threads) throws Exception {
        String token = cluster.token(sender);
        URI uri = URI.create(cluster.http(App.INGEST) + "/v1/conversations/" + conversation + "/messages");
        Map<String, Long> postedAt = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = first; i < first + count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    String body = "message " + n;
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .header("Idempotency-Key", "e2e-" + conversation + "-" + n)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"" + body + "\"}")).build();
                    postedAt.put(conversation + "/" + body, System.nanoTime());
                    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return postedAt;
    }

    /** p50/p99/max of POST sent → first shown, over the messages of the conversation that client showed. */
    private static String latencySummary(Map<String, Long> postedAt, StreamClient client, String conversation) {
        List<Long> sorted = postedAt.entrySet().stream()
                .filter(e -> client.shownAtNanos.containsKey(e.getKey()))
                .map(e -> (client.shownAtNanos.get(e.getKey()) - e.getValue()) / 1_000_000)
                .sorted().toList();
        if (sorted.isEmpty()) {
            return "no messages";
        }
        return "p50 %d ms, p99 %d ms, max %d ms (n=%d)".formatted(sorted.get(sorted.size() / 2),
                sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.getLast(), sorted.size());
    }

    /**
     * The live path carried the messages: every seq 1..count reached the client as a push, except
     * those the client had to fetch by sync after a gap or {@code resync} (the edge may skip a seq it
     * cannot order in time, and says so). Pushes may trail what sync already showed, so this waits.
     */
    private static void awaitPushed(StreamClient client, String conversation, int count) {
        await("seqs 1.." + count + " of " + conversation + " pushed").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(client.pushedOf(conversation, count)).as("seqs 1..%d of %s pushed at least once (shown by sync: %d)",
                        count, conversation, client.shownBySync.get()).isGreaterThanOrEqualTo(count - client.shownBySync.get()));
    }

    private static void awaitShown(StreamClient client, String conversation, int count) {
        await(count + " messages shown in " + conversation).atMost(Duration.ofSeconds(150)).untilAsserted(() ->
                assertThat(client.shownIn(conversation)).as("messages shown in %s (closed: %s; other frames: %s)", conversation,
                                client.closed.isDone() ? client.closed.handle((code, error) -> code != null ? code : error).join() : "no",
                                client.otherFrames)
                        .hasSizeGreaterThanOrEqualTo(count));
    }
}
