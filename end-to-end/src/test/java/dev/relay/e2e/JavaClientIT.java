package dev.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.client.ConnectionState;
import dev.relay.client.Delivery;
import dev.relay.client.HttpTransport;
import dev.relay.client.RelayClient;
import dev.relay.client.RelayClientBuilder;
import dev.relay.client.Sent;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.wire.HistoryPage;
import dev.relay.contract.wire.Message;
import dev.relay.e2e.RelayCluster.App;
import dev.relay.e2e.RelayCluster.Storage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java SDK (clients/java) against the whole system as real processes, plus a third edge node
 * that only these tests use, so one can SIGKILL it under a connected client mid-stream.
 */
class JavaClientIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static RelayCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RelayCluster("java-client", Storage.IN_MEMORY, EnumSet.allOf(App.class));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anEdgeKilledMidStreamAndRestartedLeavesEveryMessageShownOnceInOrderAndTheOutageSendStoredOnce() throws Exception {
        String alice = "alice-" + RUN;
        String bob = "bob-" + RUN;
        ClientRecorder seen = new ClientRecorder(alice);
        try (RelayClient aliceClient = client(alice, cluster.ws(App.EDGE_C)).listener(seen).build();
                RelayClient bobClient = client(bob, cluster.ws(App.EDGE_A)).build()) {
            aliceClient.connect().get(60, TimeUnit.SECONDS);
            String id = aliceClient.createConversation(List.of(bob), "crash").get(30, TimeUnit.SECONDS).conversationId();
            int total = 40;
            // bob sends all the while, HTTP only: he never connects, so his sends never wait for a stream.
            CompletableFuture<Void> bobSends = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= total; i++) {
                    bobClient.send(id, "bob " + i).join();
                }
            });
            seen.until("alice to show 10 before the kill", () -> seen.seqsIn(id).size() >= 10, WAIT);
            cluster.kill(App.EDGE_C);
            seen.until("alice to notice the kill", () -> aliceClient.state() != ConnectionState.CONNECTED, WAIT);
            CompletableFuture<Sent> duringOutage = aliceClient.send(id, "sent while the edge was down");
            cluster.startAgain(App.EDGE_C);
            bobSends.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Sent mine = duringOutage.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            seen.until("alice to show all " + (total + 1), () -> seen.seqsIn(id).size() >= total + 1, WAIT);
            aliceClient.sync().get(30, TimeUnit.SECONDS);

            assertThat(seen.seqsIn(id)).containsExactlyElementsOf(LongStream.rangeClosed(1, total + 1).boxed().toList());
            HistoryPage history = aliceClient.historyAfter(id, 0, 100).get(30, TimeUnit.SECONDS);
            assertThat(history.messages()).filteredOn(m -> m.body().equals("sent while the edge was down"))
                    .singleElement().extracting(Message::seq).isEqualTo(mine.seq());
            assertThat(seen.states).extracting(s -> s.state()).contains(ConnectionState.DISCONNECTED);
            assertThat(seen.states.getLast().state()).isEqualTo(ConnectionState.CONNECTED);
            System.out.printf("JavaClientIT: edge crash: %d of %d shown by sync%n",
                    seen.shown.stream().filter(s -> s.via() == Delivery.SYNC).count(), total + 1);
        }
    }

    @Test
    void aPushDroppedOnTheWayIsFilledInBySyncInOrder() throws Exception {
        String carol = "carol-" + RUN;
        String dan = "dan-" + RUN;
        ClientRecorder seen = new ClientRecorder(carol);
        AtomicInteger dropped = new AtomicInteger();
        try (RelayClient carolClient = client(carol, cluster.ws(App.EDGE_A)).listener(seen)
                        .frameFilter(frame -> !(frame instanceof ServerFrame.MessagePush push
                                && push.message().seq() == 3 && dropped.getAndIncrement() == 0))
                        .build();
                RelayClient danClient = client(dan, cluster.ws(App.EDGE_B)).build()) {
            carolClient.connect().get(60, TimeUnit.SECONDS);
            String id = carolClient.createConversation(List.of(dan), "gap").get(30, TimeUnit.SECONDS).conversationId();
            for (int i = 1; i <= 6; i++) {
                danClient.send(id, "dan " + i).get(30, TimeUnit.SECONDS);
            }
            seen.until("carol to show 6", () -> seen.seqsIn(id).size() >= 6, WAIT);
            carolClient.sync().get(30, TimeUnit.SECONDS);

            assertThat(dropped).as("the push of seq 3 was dropped").hasPositiveValue();
            assertThat(seen.seqsIn(id)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(seen.shown).filteredOn(s -> s.conversationId().equals(id) && s.seq() == 3)
                    .singleElement().extracting(ClientRecorder.Shown::via).isEqualTo(Delivery.SYNC);
        }
    }

    @Test
    void aSendWhoseAnswerWasLostIsRetriedWithTheSameIdempotencyKeyAndStoredOnce() throws Exception {
        String erin = "erin-" + RUN;
        HttpTransport real = HttpTransport.of(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        List<String> keys = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        HttpTransport flaky = request -> {
            String key = request.headers().firstValue("Idempotency-Key").orElse(null);
            if (key == null || !request.uri().getPath().endsWith("/messages")) {
                return real.send(request);
            }
            keys.add(key);
            return switch (failures.getAndIncrement()) {
                // The server stores it, and the answer never arrives.
                case 0 -> real.send(request).thenCompose(stored -> CompletableFuture.<HttpResponse<String>>failedFuture(
                        new IOException("connection reset after the request was sent")));
                // The next try does not even get there.
                case 1 -> CompletableFuture.failedFuture(new ConnectException("connection refused"));
                default -> real.send(request);
            };
        };
        try (RelayClient erinClient = client(erin, cluster.ws(App.EDGE_A)).httpTransport(flaky).build()) {
            String id = erinClient.createConversation(List.of(), "retry").get(30, TimeUnit.SECONDS).conversationId();
            Sent sent = erinClient.send(id, "once only").get(60, TimeUnit.SECONDS);

            assertThat(keys).hasSize(3).containsOnly(sent.idempotencyKey());
            assertThat(sent.seq()).isEqualTo(1);
            assertThat(sent.replayed()).isTrue();
            HistoryPage history = erinClient.historyAfter(id, 0, 50).get(30, TimeUnit.SECONDS);
            assertThat(history.messages()).extracting(Message::body).containsExactly("once only");
        }
    }

    private static RelayClientBuilder client(String userId, String edgeUrl) {
        return RelayClient.builder()
                .ingestUrl(cluster.http(App.INGEST))
                .syncUrl(cluster.http(App.SYNC))
                .edgeUrl(edgeUrl)
                .token(() -> CompletableFuture.completedFuture(cluster.token(userId)))
                .device("java")
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10))
                .sendRetry(Duration.ofMillis(100), Duration.ofSeconds(1), Integer.MAX_VALUE);
    }
}
