package dev.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.names.Topics;
import dev.relay.contract.wire.RelayJson;
import dev.relay.localstack.AppProcess;
import dev.relay.localstack.FreePorts;
import dev.relay.localstack.KafkaServer;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RedisServer;
import dev.relay.localstack.RelayApps;
import dev.relay.localstack.RelayHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * All four packaged apps in the {@code %prod} profile against servers that demand credentials, as on
 * AWS: Kafka only on a SASL/SCRAM listener (mechanism, JAAS line and callback handler through the
 * same keys as MSK IAM), a Redis that requires AUTH, the token key inline, the edge with TLS. The
 * secrets (Redis password, JAAS line) come from a properties file named by {@code quarkus.config.locations},
 * as a secrets mount would provide them. Each app becoming ready means it authenticated to every
 * server its readiness checks; a message then goes send → Kafka → fanout → Redis → edge push, and sync.
 */
class ProdProfileIT {

    private static final ObjectMapper JSON = RelayJson.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration READY = Duration.ofSeconds(180);

    @Test
    void theFourAppsStartInProdAgainstSaslKafkaAndRedisWithAuthAndAMessageGoesThrough() throws Exception {
        RelayHome home = RelayHome.locate();
        Path dir = home.root().resolve("end-to-end/target/prod-profile");
        Files.createDirectories(dir);
        String secret = Long.toHexString(new SecureRandom().nextLong());
        LocalStack stack = LocalStack.shared();
        RelayApps apps = null;
        RedisServer redis = RedisServer.standalone(dir.resolve("redis-" + secret), List.of("--requirepass", "redis-" + secret));
        KafkaServer kafka = KafkaServer.standaloneWithScram(dir.resolve("kafka-" + secret), "relay-apps", "kafka-" + secret);
        try {
            kafka.start();
            kafka.createTopics(List.of(Topics.MESSAGES, Topics.MESSAGES_DLQ, Topics.SIGNALS), 2);
            redis.start();

            Properties secrets = new Properties();
            secrets.setProperty("RELAY_REDIS_PASSWORD", "redis-" + secret);
            secrets.setProperty("KAFKA_SASL_JAAS_CONFIG", kafka.scram().jaasConfig());
            Path secretsFile = dir.resolve("secrets.properties");
            try (var out = Files.newBufferedWriter(secretsFile, StandardCharsets.UTF_8)) {
                secrets.store(out, "mounted secrets");
            }
            Path cert = dir.resolve("edge.crt");
            Path key = dir.resolve("edge.key");
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=edge.test", "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
            assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).isTrue();

            Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
            config.remove("mp.jwt.verify.publickey.location");
            config.remove("smallrye.jwt.sign.key.location");
            config.remove("relay.auth.dev-tokens.enabled");
            config.put("quarkus.profile", "prod");
            config.put("quarkus.config.locations", secretsFile.toUri().toString());
            config.put("mp.jwt.verify.publickey", Files.readString(stack.keys().publicKey(), StandardCharsets.US_ASCII));
            config.put("kafka.bootstrap.servers", kafka.scram().bootstrapServers());
            config.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            config.put("KAFKA_SASL_MECHANISM", KafkaServer.ScramListener.MECHANISM);
            config.put("KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS",
                    "org.apache.kafka.common.security.authenticator.SaslClientCallbackHandler");
            config.put("quarkus.redis.hosts", redis.url());
            config.put("quarkus.log.category.\"org.apache.kafka\".level", "WARN");

            Path logs = dir.resolve("logs");
            apps = RelayApps.launch(home, config, List.of(RelayApps.App.of("ingest-fn"), RelayApps.App.of("sync-fn"),
                    RelayApps.App.of("fanout-fn"), RelayApps.App.edge("edge-prod").with(Map.of(
                            "QUARKUS_HTTP_SSL_PORT", Integer.toString(FreePorts.next()),
                            "RELAY_EDGE_TLS_CERT_FILE", cert.toString(), "RELAY_EDGE_TLS_KEY_FILE", key.toString()))), logs);
            apps.awaitReady(READY, ready -> { });
            AppProcess ingest = apps.get("ingest-fn");
            AppProcess sync = apps.get("sync-fn");
            AppProcess edge = apps.get("edge-prod");

            String alice = "prod-alice-" + secret;
            String bob = "prod-bob-" + secret;
            String conversation = createConversation(ingest, stack.tokens().forUser(alice), List.of(bob));
            String syncUrl = "http://127.0.0.1:" + sync.port() + "/v1/sync";
            try (StreamClient bobOnEdge = StreamClient.connect("ws://127.0.0.1:" + edge.port() + "/v1/stream", syncUrl,
                    stack.tokens().forUser(bob))) {
                HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + ingest.port() + "/v1/conversations/" + conversation + "/messages"))
                        .header("Authorization", "Bearer " + stack.tokens().forUser(alice))
                        .header("Content-Type", "application/json").header("Idempotency-Key", "prod-" + secret)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"through SASL and AUTH\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);

                await("the message pushed to bob").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(bobOnEdge.pushedOf(conversation, 1)).as("pushed through Kafka, fanout, Redis, edge").isEqualTo(1));
            }

            HttpResponse<String> synced = HTTP.send(HttpRequest.newBuilder(URI.create(syncUrl))
                    .header("Authorization", "Bearer " + stack.tokens().forUser(bob))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"cursors\":{}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
            JsonNode messages = JSON.readTree(synced.body()).path("messages");
            assertThat(messages.findValuesAsText("body")).contains("through SASL and AUTH");
        } finally {
            if (apps != null) {
                apps.close();
            }
            redis.stop();
            kafka.stop();
        }
    }

    private static String createConversation(AppProcess ingest, String token, List<String> members) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + ingest.port() + "/v1/conversations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("members", members, "title", "prod"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("conversationId").asText();
    }
}
