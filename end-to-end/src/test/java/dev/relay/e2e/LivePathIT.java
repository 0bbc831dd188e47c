package dev.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
        cluster = new RelayCluster();
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
        try (StreamClient aliceOnA = StreamClient.connect(cluster.ws(cluster.edgeA), cluster.token(alice));
             StreamClient bobOnB = StreamClient.connect(cluster.ws(cluster.edgeB), cluster.token(bob))) {
            String conversation = createConversation(alice, List.of(bob));
            int sends = 1000;
            List<Instant> sentAt = sendConcurrently(alice, conversation, sends, 8);

            awaitShown(aliceOnA, conversation, sends);
            awaitShown(bobOnB, conversation, sends);
            List<Long> expected = LongStream.rangeClosed(1, sends).boxed().toList();
            assertThat(aliceOnA.shownIn(conversation)).containsExactlyElementsOf(expected);
            assertThat(bobOnB.shownIn(conversation)).containsExactlyElementsOf(expected);
            assertThat(aliceOnA.gaps.get() + bobOnB.gaps.get()).isZero();
            assertThat(bobOnB.rawPushes.get()).isGreaterThanOrEqualTo(sends);
            System.out.printf("live path: %d sends; raw pushes alice=%d bob=%d; end-to-end latency (sentAt → shown) bob: %s%n",
                    sends, aliceOnA.rawPushes.get(), bobOnB.rawPushes.get(), bobOnB.latencySummary());
        }
    }

    @Test
    void aUserWithTwoDevicesOnTwoNodesGetsEveryMessageOnBoth() throws Exception {
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        String dave = "dave-" + UUID.randomUUID().toString().substring(0, 8);
        String token = cluster.token(dave);
        try (StreamClient phone = StreamClient.connect(cluster.ws(cluster.edgeA) + "?device=phone", token);
             StreamClient laptop = StreamClient.connect(cluster.ws(cluster.edgeB) + "?device=laptop", token)) {
            String conversation = createConversation(carol, List.of(dave));
            sendConcurrently(carol, conversation, 100, 4);
            awaitShown(phone, conversation, 100);
            awaitShown(laptop, conversation, 100);
            assertThat(phone.shownIn(conversation)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
            assertThat(laptop.shownIn(conversation)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        }
    }

    @Test
    void fanoutKilledMidStreamLosesNothingAtTheClients() throws Exception {
        String erin = "erin-" + UUID.randomUUID().toString().substring(0, 8);
        String frank = "frank-" + UUID.randomUUID().toString().substring(0, 8);
        try (StreamClient frankOnB = StreamClient.connect(cluster.ws(cluster.edgeB), cluster.token(frank))) {
            String conversation = createConversation(erin, List.of(frank));
            int sends = 300;
            try (ExecutorService background = Executors.newSingleThreadExecutor()) {
                Future<List<Instant>> sending = background.submit(() -> sendConcurrently(erin, conversation, sends, 2));
                awaitAtLeast(frankOnB, conversation, 20);
                cluster.crashAndRestartFanout();
                sending.get();
            }
            awaitShown(frankOnB, conversation, sends);
            assertThat(frankOnB.shownIn(conversation)).containsExactlyElementsOf(LongStream.rangeClosed(1, sends).boxed().toList());
            System.out.printf("fanout crash: %d sends, %d raw pushes (duplicates on the wire are allowed)%n",
                    sends, frankOnB.rawPushes.get());
        }
    }

    private String createConversation(String creator, List<String> members) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.http(cluster.ingest) + "/v1/conversations"))
                .header("Authorization", "Bearer " + cluster.token(creator)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("members", members, "title", "e2e"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("conversationId").asText();
    }

    /** Sends {@code count} exactly-once messages from {@code threads} concurrent senders; every answer must be 201. */
    private List<Instant> sendConcurrently(String sender, String conversation, int count, int threads) throws Exception {
        String token = cluster.token(sender);
        URI uri = URI.create(cluster.http(cluster.ingest) + "/v1/conversations/" + conversation + "/messages");
        List<Instant> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .header("Idempotency-Key", "e2e-" + conversation + "-" + n)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"message " + n + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                    sent.add(Instant.now());
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return sent;
    }

    private static void awaitShown(StreamClient client, String conversation, int count) throws InterruptedException {
        awaitAtLeast(client, conversation, count);
    }

    private static void awaitAtLeast(StreamClient client, String conversation, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (client.shownIn(conversation).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(client.shownIn(conversation)).as("messages shown in %s (other frames: %s)", conversation, client.otherFrames)
                .hasSizeGreaterThanOrEqualTo(count);
    }
}
