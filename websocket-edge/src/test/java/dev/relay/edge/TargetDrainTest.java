package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.relay.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The edge starts its drain when the ALB reports its target {@code draining}. Elastic Load Balancing has
 * no local emulator, so a small HTTP server in this test stands in for its API: it answers
 * {@code DescribeTargetHealth} with the XML the real API returns, over a real HTTP exchange with the
 * app's client (endpoint override), and counts the well-formed, SigV4-signed polls for this task's target.
 */
@QuarkusTest
@TestProfile(TargetDrainTest.WatchProfile.class)
class TargetDrainTest {

    static final String TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/relay-edge/0123456789abcdef";
    static final String TARGET_IP = "10.1.2.3";
    static final int TARGET_PORT = 8443;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL url;

    @ConfigProperty(name = "relay.edge.target-health.endpoint")
    URI stub;

    @ConfigProperty(name = "relay.edge.drain.window")
    Duration window;

    @Test
    void aConnectedClientIsToldToDrainOnceItsTargetIsDrainingAndNotBefore() {
        String token = LocalStack.shared().tokens().forUser(Fixtures.unique("drained"));
        try (StreamClient client = StreamClient.connect(url.getPort(), token, "phone")) {
            client.next("hello", WAIT);
            long before = stubCount("polls");
            await("three healthy polls after the client connected").atMost(WAIT).until(
                    () -> stubCount("polls") >= before + 3);
            assertThat(client.untilPong(WAIT)).as("frames while the target is healthy").isEmpty();

            stub("POST", "state", "draining");

            JsonNode draining = client.next("draining", WAIT);
            assertThat(draining.path("reconnectAfterMs").asLong()).isBetween(0L, window.toMillis() - 1);
            assertThat(client.awaitClose(WAIT)).isEqualTo(1001);
        }
        assertThat(stubCount("refused")).as("polls that were not a signed DescribeTargetHealth of this target")
                .isZero();
    }

    private long stubCount(String what) {
        return Long.parseLong(stub("GET", what, null).trim());
    }

    private String stub(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(stub.resolve("/_stub/" + path));
        request = body == null ? request.GET() : request.method(method, HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static class WatchProfile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.edge.target-health.target-group-arn", TARGET_GROUP,
                    "relay.edge.target-health.target-ip", TARGET_IP,
                    "relay.edge.target-health.target-port", Integer.toString(TARGET_PORT),
                    "relay.edge.target-health.region", "us-east-1",
                    "relay.edge.target-health.poll-interval", "100ms");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FixedSigningCredentials.class);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ElbStub.class));
        }
    }

    /**
     * Stand-in for the Elastic Load Balancing v2 Query API: {@code POST /} with
     * {@code Action=DescribeTargetHealth} answers this target's state ({@code healthy} until a
     * {@code POST /_stub/state}); {@code GET /_stub/polls} and {@code /_stub/refused} count the
     * requests it answered and refused.
     */
    public static class ElbStub implements QuarkusTestResourceLifecycleManager {

        private final AtomicReference<String> state = new AtomicReference<>("healthy");
        private final AtomicLong polls = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", this::api);
            server.createContext("/_stub/", this::control);
            server.start();
            return Map.of("relay.edge.target-health.endpoint", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }

        private void api(HttpExchange exchange) throws IOException {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean wellFormed = "POST".equals(exchange.getRequestMethod())
                    && "DescribeTargetHealth".equals(form.get("Action"))
                    && "2015-12-01".equals(form.get("Version"))
                    && TARGET_GROUP.equals(form.get("TargetGroupArn"))
                    && TARGET_IP.equals(form.get("Targets.member.1.Id"))
                    && Integer.toString(TARGET_PORT).equals(form.get("Targets.member.1.Port"))
                    && authorization != null
                    && authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + FixedSigningCredentials.CREDENTIALS
                    .accessKeyId() + "/20260102/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=")
                    && authorization.contains("Signature=");
            if (!wellFormed) {
                refused.incrementAndGet();
                respond(exchange, 400, """
                        <ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
                          <Error><Type>Sender</Type><Code>ValidationError</Code><Message>bad request</Message></Error>
                          <RequestId>stub</RequestId>
                        </ErrorResponse>""");
                return;
            }
            String now = state.get();
            String reason = "draining".equals(now) ? "<Reason>Target.DeregistrationInProgress</Reason>"
                    + "<Description>Target deregistration is in progress</Description>" : "";
            respond(exchange, 200, """
                    <DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
                      <DescribeTargetHealthResult>
                        <TargetHealthDescriptions>
                          <member>
                            <HealthCheckPort>%d</HealthCheckPort>
                            <TargetHealth><State>%s</State>%s</TargetHealth>
                            <Target><Port>%d</Port><Id>%s</Id></Target>
                          </member>
                        </TargetHealthDescriptions>
                      </DescribeTargetHealthResult>
                      <ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata>
                    </DescribeTargetHealthResponse>""".formatted(TARGET_PORT, now, reason, TARGET_PORT, TARGET_IP));
            polls.incrementAndGet();
        }

        private void control(HttpExchange exchange) throws IOException {
            String what = exchange.getRequestURI().getPath().substring("/_stub/".length());
            switch (what) {
                case "state" -> {
                    state.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim());
                    respond(exchange, 200, state.get());
                }
                case "polls" -> respond(exchange, 200, Long.toString(polls.get()));
                case "refused" -> respond(exchange, 200, Long.toString(refused.get()));
                default -> respond(exchange, 404, "");
            }
        }

        private static Map<String, String> form(String body) {
            Map<String, String> form = new HashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return form;
        }

        private static void respond(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
