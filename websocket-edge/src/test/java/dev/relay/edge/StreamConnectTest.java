package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connect, auth and heartbeats of {@code /v1/stream}, over real WebSockets. */
@QuarkusTest
class StreamConnectTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL url;

    @Test
    void upgradeWithoutTokenIsRefusedWith401() {
        assertThat(StreamClient.rejectedStatus(url.getPort(), null, null, false)).isEqualTo(401);
    }

    @Test
    void upgradeWithExpiredOrForgedTokenIsRefusedWith401() {
        String expired = LocalStack.shared().tokens().forUser("alice", Duration.ofMinutes(-5));
        String valid = LocalStack.shared().tokens().forUser("alice");
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(valid.lastIndexOf('.') + 5);
        assertThat(StreamClient.rejectedStatus(url.getPort(), expired, null, false)).isEqualTo(401);
        assertThat(StreamClient.rejectedStatus(url.getPort(), expired, null, true)).isEqualTo(401);
        assertThat(StreamClient.rejectedStatus(url.getPort(), forged, null, false)).isEqualTo(401);
    }

    @Test
    void badDeviceIdIsRefusedWith400() {
        String token = LocalStack.shared().tokens().forUser("alice");
        assertThat(StreamClient.rejectedStatus(url.getPort(), token, "bad*device", false)).isEqualTo(400);
    }

    @Test
    void tokenInQueryIsAcceptedAndHelloComesFirst() throws Exception {
        String token = LocalStack.shared().tokens().forUser("hello-user");
        try (StreamClient client = StreamClient.connectAsync(url.getPort(), token, "phone", true).get()) {
            JsonNode hello = client.next("hello", WAIT);
            assertThat(hello.path("connectionId").asText()).isNotBlank();
            assertThat(hello.path("node").asText()).isNotBlank();
            assertThat(hello.path("heartbeatSeconds").asInt()).isEqualTo(3);
        }
    }

    @Test
    void pingIsAnsweredWithPong() {
        try (StreamClient client = connect("pinger")) {
            client.next("hello", WAIT);
            client.ping();
            assertThat(client.next("pong", WAIT).size()).isEqualTo(1);
        }
    }

    @Test
    void badFramesGetErrorFramesThenCloseWith4008() {
        try (StreamClient client = connect("clumsy")) {
            client.next("hello", WAIT);
            client.send("not json");
            JsonNode error = client.next("error", WAIT);
            assertThat(error.path("code").asText()).isEqualTo("malformed-frame");
            client.send("{\"type\":\"ack\",\"conversationId\":\"bad id!\",\"seq\":1}");
            assertThat(client.next("error", WAIT).path("code").asText()).isEqualTo("malformed-ack");
            client.ping();
            client.next("pong", WAIT);
            for (int i = 0; i < 9; i++) {
                client.send("{\"type\":\"nope\"}");
            }
            assertThat(client.awaitClose(WAIT)).isEqualTo(4008);
        }
    }

    @Test
    void tokenExpiryWhileConnectedClosesWith4001() {
        String shortLived = LocalStack.shared().tokens().forUser("brief", Duration.ofSeconds(2));
        try (StreamClient client = StreamClient.connect(url.getPort(), shortLived, null)) {
            client.next("hello", WAIT);
            assertThat(client.awaitClose(WAIT)).isEqualTo(4001);
        }
    }

    @Test
    void silentConnectionIsClosedAfterTwoHeartbeats() {
        try (StreamClient pinging = connect("talker"); StreamClient silent = connect("mute")) {
            pinging.next("hello", WAIT);
            silent.next("hello", WAIT);
            long start = System.nanoTime();
            // the talker pings every second (well within heartbeatSeconds) until the silent one is closed
            await("the silent connection closed").pollInSameThread().pollInterval(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(12)).until(() -> {
                        pinging.ping();
                        return silent.closed();
                    });
            assertThat(silent.awaitClose(Duration.ofSeconds(1))).isEqualTo(1000);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
            assertThat(pinging.closed()).isFalse();
        }
    }

    private StreamClient connect(String user) {
        return StreamClient.connect(url.getPort(), LocalStack.shared().tokens().forUser(user), null);
    }
}
