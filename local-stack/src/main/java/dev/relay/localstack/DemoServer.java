package dev.relay.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Serves the demo chat page ({@code demo/dist}) and, at {@code /config.json}, the URLs of the apps it
 * talks to. Bound to the loopback address only: it is a local development aid, never deployed.
 * Only files under the root are served (a path that normalizes outside it is a 404).
 */
public final class DemoServer implements AutoCloseable {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json", "map", "application/json",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon");

    private final HttpServer server;

    private DemoServer(HttpServer server) {
        this.server = server;
    }

    /**
     * @param root   the built demo ({@code demo/dist})
     * @param port   0 for any free port
     * @param config served as {@code /config.json}: ingestUrl, syncUrl, edgeUrl
     */
    public static DemoServer start(Path root, int port, Map<String, String> config) {
        Path base = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(base.resolve("index.html"))) {
            throw new IllegalStateException(base + "/index.html is missing: build the demo (cd demo && npm ci && npm run build)");
        }
        byte[] configJson = json(config).getBytes(StandardCharsets.UTF_8);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    if (!"GET".equals(exchange.getRequestMethod())) {
                        answer(exchange, 405, "text/plain", "GET only".getBytes(StandardCharsets.UTF_8));
                    } else if ("/config.json".equals(path)) {
                        answer(exchange, 200, TYPES.get("json"), configJson);
                    } else {
                        Path file = base.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
                        if (!file.startsWith(base) || !Files.isRegularFile(file)) {
                            answer(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                        } else {
                            answer(exchange, 200, type(file), Files.readAllBytes(file));
                        }
                    }
                }
            });
            server.start();
            return new DemoServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("demo: cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /**
     * Serves the built demo for {@code ./relay up} on {@code port}, configured with the apps' URLs;
     * empty (with a line saying why) when the demo is not built or the port is taken.
     */
    public static Optional<DemoServer> startForRelayUp(RelayHome home, int port, Map<String, String> appUrls) {
        Path dist = home.root().resolve("demo/dist");
        if (!Files.isRegularFile(dist.resolve("index.html"))) {
            System.out.println("  demo    not built: (cd demo && npm ci && npm run build), then ./relay up again");
            return Optional.empty();
        }
        if (!PortOwners.free(port)) {
            System.out.println("  demo    not served: port " + port + " is taken by " + PortOwners.owner(port)
                    + "; move it with RELAY_DEMO_PORT=<port>");
            return Optional.empty();
        }
        DemoServer site = start(dist, port, appUrls);
        System.out.println("  demo    " + site.url() + "   (chat page: open it in two browser windows)");
        return Optional.of(site);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://localhost:" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String type(Path file) {
        String name = file.getFileName().toString();
        return TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
    }

    /** The config is a flat map of URLs: plain string escaping suffices. */
    private static String json(Map<String, String> config) {
        return config.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
