package dev.relay.edge;

import static dev.relay.edge.Fixtures.message;
import static dev.relay.edge.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.names.RedisKeys;
import dev.relay.edge.delivery.DeliveryRouter;
import dev.relay.edge.redis.PresenceRegistry;
import dev.relay.localstack.LocalStack;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a misbehaving client can do to the stream: bad frames, big frames, lying acks, many devices. */
@QuarkusTest
class StreamHardeningTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Each is answered with an error frame; the connection stays open. */
    static final List<String> BAD_FRAMES = List.of(
            "null", "[]", "42", "\"ping\"", "true", "", "not json", "{", "{}",
            "{\"type\":null}", "{\"type\":7}", "{\"type\":\"nope\"}", "{\"type\":[\"ping\"]}",
            "{\"type\":\"ping\"} trailing", "{\"type\":\"ping\"}{\"type\":\"ping\"}",
            "{\"type\":\"ack\"}", "{\"type\":\"ack\",\"conversationId\":5,\"seq\":1}",
            "{\"type\":\"ack\",\"conversationId\":\"c1\",\"seq\":\"1\"}",
            "{\"type\":\"ack\",\"conversationId\":\"c1\",\"seq\":1.5}",
            "{\"type\":\"ack\",\"conversationId\":\"c1\",\"seq\":true}",
            "{\"type\":\"ack\",\"conversationId\":\"c1\",\"seq\":null}",
            "{\"type\":\"ack\",\"conversationId\":\"c1\",\"seq\":99999999999999999999999}",
            "{\"type\":\"ack\",\"conversationId\":\"c1\",\"seq\":0}",
            "{\"type\":\"ack\",\"conversationId\":null,\"seq\":1}",
            "{\"type\":\"ack\",\"conversationId\":{},\"seq\":1}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[");

    @TestHTTPResource("/")
    URL url;

    @Inject
    DeliveryRouter router;

    @Inject
    PresenceRegistry presence;

    @Inject
    RedisDataSource redis;

    @Test
    void everyKindOfBadTextGetsAnErrorFrameAndTheConnectionStaysOpen() {
        // max-bad-frames is 10: ten bad frames per fresh connection, then a ping still answers.
        for (int from = 0; from < BAD_FRAMES.size(); from += 10) {
            try (StreamClient client = connect(unique("clumsy"), null)) {
                for (String bad : BAD_FRAMES.subList(from, Math.min(BAD_FRAMES.size(), from + 10))) {
                    client.send(bad);
                    assertThat(client.next("error", WAIT).path("code").asText()).as("answer to %s", bad)
                            .isIn("malformed-frame", "malformed-ack");
                }
                client.ping();
                client.next("pong", WAIT);
                assertThat(client.closed()).isFalse();
            }
        }
    }

    @Test
    void nullFramesCountTowardTheBadFrameLimit() {
        try (StreamClient client = connect(unique("nulls"), null)) {
            for (int i = 0; i < 10; i++) {
                client.send("null");
                client.next("error", WAIT);
            }
            client.send("null");
            assertThat(client.awaitClose(WAIT)).isEqualTo(4008);
        }
    }

    @Test
    void aTextFrameOver16KiBClosesWith1009() {
        for (int size : new int[] {16 * 1024 + 1, 70 * 1024}) {
            try (StreamClient client = connect(unique("big"), null)) {
                client.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(size) + "\"}");
                assertThat(client.awaitClose(WAIT)).as("close after %d bytes", size).isEqualTo(1009);
            }
        }
        try (StreamClient client = connect(unique("fits"), null)) {
            String padded = "{\"type\":\"ping\",\"pad\":\"\"}";
            client.send(padded.replace("\"\"", "\"" + "x".repeat(16 * 1024 - padded.length()) + "\""));
            client.next("pong", WAIT);
        }
    }

    @Test
    void anAckAboveWhatWasPushedIsIgnoredAndLaterPushesStillArrive() {
        String alice = unique("alice");
        String conversation = unique("c");
        try (StreamClient client = connect(alice, null)) {
            router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, 1)));
            assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(1);
            client.ack(conversation, 1_000_000);
            // A re-send of seq 1 may cross the ack; after the pong the ack has been handled.
            client.untilPong(WAIT);
            router.route(new EdgeCommand.Deliver(List.of(alice), message(conversation, 2)));
            assertThat(client.next("message", WAIT).path("message").path("seq").asLong()).isEqualTo(2);
            client.ack(conversation, 2);
            client.untilPong(WAIT);
            client.assertSilentFor(Duration.ofMillis(1500));
        }
    }

    @Test
    void theThirtyThirdConnectionOfAUserIsRefusedWith429() {
        String user = unique("many");
        String token = LocalStack.shared().tokens().forUser(user);
        List<StreamClient> open = new ArrayList<>();
        try {
            for (int device = 0; device < 32; device++) {
                StreamClient client = StreamClient.connect(url.getPort(), token, "d" + device);
                client.next("hello", WAIT);
                open.add(client);
            }
            assertThat(StreamClient.rejectedStatus(url.getPort(), token, "d32", false)).isEqualTo(429);
            assertThat(StreamClient.rejectedStatus(url.getPort(), token, "d33", true)).isEqualTo(429);
            // A device already connected replaces its connection rather than adding one.
            StreamClient again = StreamClient.connect(url.getPort(), token, "d0");
            again.next("hello", WAIT);
            assertThat(open.getFirst().awaitClose(WAIT)).isEqualTo(4010);
            open.set(0, again);
        } finally {
            open.forEach(StreamClient::close);
        }
    }

    @Test
    void aPresenceRefreshReadsOnlyItsOwnEntryHoweverManyDevicesTheUserHas() {
        String user = unique("crowd");
        // 2,000 live devices written at once, good for an hour: registering them one by one can outlast
        // their presence TTL on a loaded machine, and the first would be pruned as expired.
        long later = System.currentTimeMillis() + 3_600_000;
        Map<String, String> devices = new HashMap<>();
        Map<String, Double> expiries = new HashMap<>();
        for (int device = 0; device < 2000; device++) {
            devices.put("d" + device, "elsewhere|conn-" + device + "|1|" + later);
            expiries.put("d" + device, (double) later);
        }
        redis.hash(String.class).hset(RedisKeys.presence(user), devices);
        redis.sortedSet(String.class).zadd(RedisKeys.presenceExpiry(user), expiries);
        long epoch = presence.register(user, "mine", "conn-mine").await().atMost(WAIT).epoch();
        long fullReadsBefore = fullHashReads();
        assertThat(presence.refresh(user, "mine", "conn-mine", epoch).await().atMost(WAIT)).isTrue();
        assertThat(fullHashReads() - fullReadsBefore).as("whole-hash reads by one refresh").isZero();
        assertThat(redis.hash(String.class).hlen(RedisKeys.presence(user))).isEqualTo(2001);
    }

    @Test
    void expiredDevicesArePrunedABoundedFewPerWrite() {
        String user = unique("stale");
        long past = System.currentTimeMillis() - 1000;
        for (int device = 0; device < 40; device++) {
            redis.hash(String.class).hset(RedisKeys.presence(user), "dead" + device, "gone|conn|1|" + past);
            redis.sortedSet(String.class).zadd(RedisKeys.presenceExpiry(user), past, "dead" + device);
        }
        long epoch = presence.register(user, "live", "conn-live").await().atMost(WAIT).epoch();
        assertThat(redis.hash(String.class).hlen(RedisKeys.presence(user))).isEqualTo(41 - 16);
        presence.refresh(user, "live", "conn-live", epoch).await().atMost(WAIT);
        presence.refresh(user, "live", "conn-live", epoch).await().atMost(WAIT);
        assertThat(redis.hash(String.class).hgetall(RedisKeys.presence(user))).containsOnlyKeys("live");
        assertThat(redis.sortedSet(String.class).zcard(RedisKeys.presenceExpiry(user))).isEqualTo(1);
        assertThat(redis.key().pttl(RedisKeys.presence(user))).isPositive();
        presence.remove(user, "live", epoch).await().atMost(WAIT);
        assertThat(redis.key().exists(RedisKeys.presence(user), RedisKeys.presenceExpiry(user))).isZero();
    }

    /** Calls of the commands that read a whole hash, since the server started. */
    private long fullHashReads() {
        String stats = redis.execute("INFO", "commandstats").toString();
        long total = 0;
        for (String line : stats.split("\r?\n")) {
            for (String command : List.of("cmdstat_hgetall:", "cmdstat_hkeys:", "cmdstat_hvals:")) {
                if (line.startsWith(command)) {
                    String calls = line.substring(line.indexOf("calls=") + 6);
                    total += Long.parseLong(calls.substring(0, calls.indexOf(',')));
                }
            }
        }
        return total;
    }

    private StreamClient connect(String user, String device) {
        StreamClient client = StreamClient.connect(url.getPort(), LocalStack.shared().tokens().forUser(user), device);
        client.next("hello", WAIT);
        return client;
    }
}
