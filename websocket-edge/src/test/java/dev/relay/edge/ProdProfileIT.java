package dev.relay.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.localstack.AppProcess;
import dev.relay.localstack.FreePorts;
import dev.relay.localstack.LocalStack;
import dev.relay.localstack.RelayHome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged edge in the {@code %prod} profile as on AWS: the token key inline (no location), a
 * Redis that requires AUTH (the password from the environment-style setting, not the URL), and TLS
 * on the ssl port from PEM files made here with openssl. Ready and a stream's {@code hello} prove the
 * key and Redis AUTH; the health check over HTTPS proves the ALB's HTTPS target would be served.
 */
class ProdProfileIT {

    private static final String REDIS_PASSWORD = "prod-profile-" + Long.toHexString(new SecureRandom().nextLong());
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Path dir;
    private static Process redis;
    private static int redisPort;

    @BeforeAll
    static void redisWithAuth() throws Exception {
        dir = Files.createTempDirectory("edge-prod-it");
        redisPort = FreePorts.next();
        redis = new ProcessBuilder(redisBinary(), "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--requirepass", REDIS_PASSWORD, "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        await("redis-server --requirepass").atMost(WAIT).until(() -> answers(redisPort));
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void startsWithRedisAuthTlsAndTheInlineKey() throws Exception {
        Path cert = dir.resolve("edge.crt");
        Path key = dir.resolve("edge.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=edge.test", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a pair").isTrue();

        LocalStack stack = LocalStack.shared();
        Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig());
        config.remove("mp.jwt.verify.publickey.location");
        config.remove("smallrye.jwt.sign.key.location");
        config.remove("relay.auth.dev-tokens.enabled");
        config.put("quarkus.profile", "prod");
        config.put("mp.jwt.verify.publickey", Files.readString(stack.keys().publicKey(), StandardCharsets.US_ASCII));
        config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + redisPort);
        config.put("RELAY_REDIS_PASSWORD", REDIS_PASSWORD);
        int sslPort = FreePorts.next();
        config.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(sslPort));
        config.put("RELAY_EDGE_TLS_CERT_FILE", cert.toString());
        config.put("RELAY_EDGE_TLS_KEY_FILE", key.toString());
        config.put("relay.edge.node-id", "edge-prod-it");

        RelayHome home = RelayHome.locate();
        AppProcess edge = AppProcess.start(home, "websocket-edge", FreePorts.next(), config,
                home.root().resolve("websocket-edge/target/it-logs/prod-profile"), List.of("-Xmx256m", "-XX:+UseSerialGC"));
        try {
            edge.awaitReady(Duration.ofSeconds(120));

            try (StreamClient client = StreamClient.connect(edge.port(), stack.tokens().forUser("prod-it-user"), "phone")) {
                JsonNode hello = client.next("hello", WAIT);
                assertThat(hello.path("node").asText()).isEqualTo("edge-prod-it");
            }

            HttpsURLConnection ready = (HttpsURLConnection) URI.create(
                    "https://127.0.0.1:" + sslPort + "/q/health/ready").toURL().openConnection();
            ready.setSSLSocketFactory(trustingEveryCertificate().getSocketFactory());
            ready.setHostnameVerifier((host, session) -> true);
            ready.setConnectTimeout(5000);
            ready.setReadTimeout((int) WAIT.toMillis());
            assertThat(ready.getResponseCode()).isEqualTo(200);
            assertThat(ready.getCipherSuite()).isNotBlank();
            ready.disconnect();
        } finally {
            edge.stop();
        }
    }

    /** The ALB does not verify target certificates either. */
    private static SSLContext trustingEveryCertificate() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return context;
    }

    private static String redisBinary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server is missing: source scripts/env.sh");
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

}
