package dev.relay.edge;

import static dev.relay.edge.Fixtures.message;
import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.edge.config.EdgeConfig;
import dev.relay.edge.delivery.ConnectionRegistry;
import dev.relay.edge.delivery.DeliveryRouter;
import dev.relay.edge.delivery.EdgeConnection;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Slow consumers cannot make the node hold more than its configured bounds: clients that never read,
 * and clients that read but never ack, are flooded far past those bounds; each gets 4009, and the
 * heap, measured after full collections while the flood goes on, grows by no more than the
 * per-connection bounds times the clients (plus slack for the JVM's own noise).
 *
 * <p>Silence is not what this test is about: its profile allows a client 10 minutes without a frame, so the only
 * close it can see is the slow consumer's 4009. The full collections it makes stop the server too (same JVM), and
 * on a loaded machine they can hold any client's pings past a short silence limit.
 */
@QuarkusTest
@TestProfile(SlowConsumerTest.PatientProfile.class)
class SlowConsumerTest {

    private static final Logger LOG = Logger.getLogger(SlowConsumerTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int NEVER_READ = 8;
    private static final int NEVER_ACK = 8;
    /** 16 frames of 8 KB: a burst well under the queue bound, so a client that reads keeps up with it. */
    private static final int FRAMES_PER_ROUND = 16;
    private static final int MEASURE_EVERY = 5;
    private static final Duration FLOOD_LIMIT = Duration.ofSeconds(120);
    /** GC and JIT noise, test-side buffers (a paused client keeps a few frames), metrics. */
    private static final long SLACK_BYTES = 24L << 20;
    private static final String BODY = "x".repeat(8000);

    @TestHTTPResource("/")
    URL url;

    @Inject
    DeliveryRouter router;

    @Inject
    ConnectionRegistry connections;

    @Inject
    EdgeConfig config;

    @Test
    void clientsThatNeverReadOrNeverAckGet4009AndTheHeapStaysWithinTheConfiguredBound() {
        Map<String, StreamClient> paused = new ConcurrentHashMap<>();
        Map<String, StreamClient> reading = new ConcurrentHashMap<>();
        for (int i = 0; i < NEVER_READ; i++) {
            String user = unique("sloth");
            StreamClient client = connect(user);
            client.pause();
            paused.put(user, client);
        }
        for (int i = 0; i < NEVER_ACK; i++) {
            String user = unique("hoarder");
            StreamClient client = connect(user);
            client.next("hello", WAIT);
            client.discardFrames();
            reading.put(user, client);
        }
        List<String> users = new ArrayList<>(paused.keySet());
        users.addAll(reading.keySet());
        await("all connections registered").atMost(WAIT).until(
                () -> users.stream().allMatch(u -> connections.ofUser(u).size() == 1));

        long baseline = heapAfterGc();
        long perConnection = config.queue().maxBytes() + config.ack().maxUnackedBytes();
        long bound = perConnection * users.size() + SLACK_BYTES;
        FloodRounds flood = new FloodRounds(paused, reading, users, baseline);
        // one round per poll, 20 ms apart, until every slow client is closed
        await("every slow client closed").atMost(FLOOD_LIMIT).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(flood::allClosedAfterARound);
        long peak = flood.peak;
        LOG.infof("slow consumers: %d rounds; KB pushed before 4009: never-read %s, never-ack %s; heap baseline %d MB, peak %d MB, bound %d MB",
                flood.rounds, kilobytes(flood.pushedChars, paused.keySet()), kilobytes(flood.pushedChars, reading.keySet()),
                baseline >> 20, peak >> 20, (baseline + bound) >> 20);

        for (String user : users) {
            StreamClient client = paused.containsKey(user) ? paused.get(user) : reading.get(user);
            assertThat(client.awaitClose(WAIT)).as("close code of %s", user).isEqualTo(4009);
        }
        assertThat(peak - baseline).as("heap growth while flooding %d slow clients", users.size()).isLessThan(bound);
        // Closed connections released what they held.
        await("connections removed").atMost(WAIT).until(() -> users.stream().allMatch(u -> connections.ofUser(u).isEmpty()));
        assertThat(heapAfterGc() - baseline).isLessThan(SLACK_BYTES);
    }

    /** The flood, one round at a time: frames to every client still open, then drop those closed since. */
    private final class FloodRounds {

        final Map<String, StreamClient> paused;
        final Map<String, StreamClient> reading;
        final List<String> open;
        final Map<String, Long> seq = new HashMap<>();
        final Map<String, Long> pushedChars = new HashMap<>();
        int rounds;
        long peak;

        FloodRounds(Map<String, StreamClient> paused, Map<String, StreamClient> reading, List<String> users, long baseline) {
            this.paused = paused;
            this.reading = reading;
            this.open = new ArrayList<>(users);
            this.peak = baseline;
        }

        /** Floods one round; true once every client has been closed. */
        boolean allClosedAfterARound() {
            rounds++;
            for (String user : open) {
                String conversation = "c-" + user;
                for (int f = 0; f < FRAMES_PER_ROUND; f++) {
                    // Never-reading clients get signals (only the outbound queue holds them);
                    // never-acking ones get stored messages (kept unacked for re-sends).
                    ServerFrame frame = reading.containsKey(user)
                            ? message(conversation, seq.merge(user, 1L, Long::sum), BODY)
                            : new ServerFrame.Signal(conversation, "flooder", BODY, null, Instant.now());
                    router.route(new EdgeCommand.Deliver(List.of(user), frame));
                    pushedChars.merge(user, (long) BODY.length(), Long::sum);
                }
            }
            if (rounds % MEASURE_EVERY == 0) {
                peak = Math.max(peak, heapAfterGc());
            }
            open.removeIf(user -> {
                boolean closed = connections.ofUser(user).stream().allMatch(EdgeConnection::isClosed);
                if (closed && paused.containsKey(user)) {
                    // Read what piled up promptly, before the server gives up on the close handshake;
                    // the test drops those frames so its own heap does not hold them.
                    paused.get(user).discardFrames();
                    paused.get(user).resume();
                }
                return closed;
            });
            return open.isEmpty();
        }
    }

    private StreamClient connect(String user) {
        return StreamClient.connect(url.getPort(), LocalStack.shared().tokens().forUser(user), null);
    }

    private static List<Long> kilobytes(Map<String, Long> pushedChars, Set<String> users) {
        return users.stream().map(u -> pushedChars.getOrDefault(u, 0L) >> 10).sorted().toList();
    }

    /** The test profile with a silence limit far past the flood's: slow clients, never silent ones. */
    public static class PatientProfile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.edge.heartbeat-seconds", "300");
        }
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
