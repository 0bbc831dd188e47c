package dev.relay.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's static server: files under its root, the apps' URLs as JSON, nothing outside the root. */
class DemoServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheDemoItsConfigAndNothingOutsideItsRoot(@TempDir Path dir) throws Exception {
        Path dist = Files.createDirectories(dir.resolve("dist"));
        Files.writeString(dist.resolve("index.html"), "<h1>chat</h1>");
        Files.writeString(dist.resolve("main.js"), "export {};");
        Files.writeString(dir.resolve("secret.txt"), "not for the browser");
        try (DemoServer site = DemoServer.start(dist, 0, Map.of("ingestUrl", "http://localhost:8081", "edgeUrl", "ws://x\"y"))) {
            HttpResponse<String> index = get(site, "/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).isEqualTo("<h1>chat</h1>");
            assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(get(site, "/main.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            HttpResponse<String> config = get(site, "/config.json");
            assertThat(config.body()).contains("\"ingestUrl\":\"http://localhost:8081\"").contains("\"edgeUrl\":\"ws://x\\\"y\"");
            assertThat(get(site, "/../secret.txt").statusCode()).isEqualTo(404);
            assertThat(get(site, "/%2e%2e/secret.txt").statusCode()).isEqualTo(404);
            assertThat(get(site, "/missing.js").statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(DemoServer site, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + site.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
