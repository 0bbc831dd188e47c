package dev.relay.client;

import static dev.relay.client.CursorBookTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.RelayJson;
import dev.relay.contract.wire.SyncResponse;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pushes merged with sync pages, against a scripted /v1/sync that serves one conversation's log. */
class DeliveryMergerTest {

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final List<String> shown = new ArrayList<>();
    private final List<String> acks = new ArrayList<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncGates = new ConcurrentLinkedQueue<>();
    private final List<Long> syncedFrom = new ArrayList<>();
    /** The conversation's log on the "server": seq 1..logSize. */
    private volatile long logSize;

    private final ScriptedTransport transport = new ScriptedTransport(call -> {
        try {
            JsonNode request = JSON.readTree(call.body());
            long cursor = request.path("cursors").path("c").asLong(0);
            int limit = request.path("limit").asInt();
            synchronized (syncedFrom) {
                syncedFrom.add(cursor);
            }
            List<Message> page = LongStream.rangeClosed(cursor + 1, Math.min(logSize, cursor + limit))
                    .mapToObj(seq -> message("c", seq)).toList();
            long last = page.isEmpty() ? cursor : page.getLast().seq();
            String body = JSON.writeValueAsString(new SyncResponse(page, Map.of("c", last), last < logSize));
            CompletableFuture<Void> gate = syncGates.poll();
            CompletableFuture<Void> open = gate == null ? CompletableFuture.completedFuture(null) : gate;
            return open.thenCompose(ignored -> ScriptedTransport.answer(200, body, Map.of()));
        } catch (Exception e) {
            return CompletableFuture.<HttpResponse<String>>failedFuture(e);
        }
    });

    private final DeliveryMerger merger = new DeliveryMerger(loop,
            new RelayHttpClient(transport, new TokenSource(() -> CompletableFuture.completedFuture("x.e30.y"),
                    Duration.ZERO, Clock.systemUTC(), JSON), JSON, Duration.ofSeconds(5), Clock.systemUTC()),
            URI.create("http://sync/v1/sync"), 2, new MemoryCursorStore(),
            new RelayListener() {
                @Override
                public void onMessage(Message message, Delivery delivery) {
                    shown.add(message.seq() + "/" + delivery);
                }
            },
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), () -> 0.5),
            (conversation, seq) -> acks.add(conversation + ":" + seq));

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** Waits until every task queued on the loop so far (ack flushes included) has run. */
    private void settle() throws Exception {
        onLoop(() -> null);
        onLoop(() -> null);
    }

    @Test
    void aPushAboveAGapTriggersASyncThatFillsItInOrder() throws Exception {
        logSize = 3;
        onLoop(() -> {
            merger.start();
            merger.onPush(message("c", 1));
            merger.onPush(message("c", 3));
            return null;
        });
        onLoop(() -> merger.requestSync()).get(10, TimeUnit.SECONDS);
        settle();
        assertThat(shown).containsExactly("1/PUSH", "2/SYNC", "3/PUSH");
        assertThat(syncedFrom).first().isEqualTo(1L);
        assertThat(acks).last().isEqualTo("c:3");
        assertThat(merger.cursors()).isEqualTo(Map.of("c", 3L));
    }

    @Test
    void pushesThatArriveDuringAResyncWaitForItAndEachMessageIsShownOnce() throws Exception {
        logSize = 5;
        CompletableFuture<Void> gate = new CompletableFuture<>();
        syncGates.add(gate);
        CompletableFuture<Void> sync = onLoop(() -> {
            merger.start();
            return merger.requestSync();
        });
        onLoop(() -> {
            merger.onPush(message("c", 1));
            merger.onPush(message("c", 2));
            merger.onPush(message("c", 2));
            return null;
        });
        assertThat(shown).isEmpty();
        gate.complete(null);
        sync.get(10, TimeUnit.SECONDS);
        settle();
        // The page's 1 is shown and releases the held push of 2; the page's 2 is then a duplicate; 3..5 by later pages.
        assertThat(shown).containsExactly("1/SYNC", "2/PUSH", "3/SYNC", "4/SYNC", "5/SYNC");
        onLoop(() -> {
            merger.onPush(message("c", 5));
            merger.onPush(message("c", 6));
            return null;
        });
        settle();
        assertThat(shown).hasSize(6).last().isEqualTo("6/PUSH");
        assertThat(acks).last().isEqualTo("c:6");
    }

    @Test
    void aDuplicatePushIsAckedAgainSoTheEdgeStopsResendingIt() throws Exception {
        onLoop(() -> {
            merger.start();
            merger.onPush(message("c", 1));
            return null;
        });
        settle();
        acks.clear();
        onLoop(() -> {
            merger.onPush(message("c", 1));
            return null;
        });
        settle();
        assertThat(shown).containsExactly("1/PUSH");
        assertThat(acks).containsExactly("c:1");
    }

    @Test
    void aResyncAskedDuringASyncRunsAgainAfterIt() throws Exception {
        logSize = 1;
        CompletableFuture<Void> gate = new CompletableFuture<>();
        syncGates.add(gate);
        CompletableFuture<Void> first = onLoop(() -> {
            merger.start();
            return merger.requestSync();
        });
        CompletableFuture<Void> second = onLoop(() -> merger.requestSync());
        logSize = 2; // committed after the first sync read the log
        gate.complete(null);
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        settle();
        assertThat(shown).containsExactly("1/SYNC", "2/SYNC");
    }
}
