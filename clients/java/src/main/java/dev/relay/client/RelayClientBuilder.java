package dev.relay.client;

import dev.relay.contract.frame.ServerFrame;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Builds a {@link RelayClient}; the three URLs and a token are required, the rest has defaults. */
public final class RelayClientBuilder {

    private URI ingest;
    private URI sync;
    private URI edge;
    private Supplier<CompletableFuture<String>> token;
    private String device;
    private final List<RelayListener> listeners = new ArrayList<>();
    private CursorStore store = new MemoryCursorStore();
    private HttpTransport transport;
    private Duration reconnectBase = Duration.ofMillis(500);
    private Duration reconnectMax = Duration.ofSeconds(30);
    private Duration stableAfter = Duration.ofSeconds(10);
    private Duration sendRetryBase = Duration.ofMillis(250);
    private Duration sendRetryMax = Duration.ofSeconds(10);
    private int sendMaxAttempts = Integer.MAX_VALUE;
    private int syncLimit = 500;
    private Duration tokenRefreshMargin = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Predicate<ServerFrame> frameFilter = frame -> true;

    RelayClientBuilder() {
    }

    /** ingest-fn's base URL, e.g. {@code http://localhost:8081}. */
    public RelayClientBuilder ingestUrl(String url) {
        this.ingest = base(url, "");
        return this;
    }

    /** sync-fn's base URL, e.g. {@code http://localhost:8083} (a trailing {@code /v1/sync} is accepted). */
    public RelayClientBuilder syncUrl(String url) {
        this.sync = base(url, "/v1/sync");
        return this;
    }

    /** websocket-edge's URL, e.g. {@code ws://localhost:8082} (a trailing {@code /v1/stream} is accepted). */
    public RelayClientBuilder edgeUrl(String url) {
        this.edge = URI.create(trim(url, "/v1/stream") + "/v1/stream");
        return this;
    }

    /** A fixed JWT (it is not refreshed: prefer {@link #token(Supplier)}). */
    public RelayClientBuilder token(String jwt) {
        Objects.requireNonNull(jwt, "jwt");
        this.token = () -> CompletableFuture.completedFuture(jwt);
        return this;
    }

    /** Fetches a fresh JWT; called again before the current one's {@code exp}, after a 401 and after 4001. */
    public RelayClientBuilder token(Supplier<CompletableFuture<String>> provider) {
        this.token = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /** The device id: one connection per user and device; a newer one replaces an older one (4010). */
    public RelayClientBuilder device(String device) {
        this.device = device;
        return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public RelayClientBuilder listener(RelayListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Where cursors are kept between runs (memory by default). */
    public RelayClientBuilder cursorStore(CursorStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /** How HTTP requests are sent (the JDK's HttpClient by default). */
    public RelayClientBuilder httpTransport(HttpTransport transport) {
        this.transport = transport;
        return this;
    }

    /** Reconnect back-off: full jitter in [0, min(max, base·2^n)], reset after {@code stableAfter} connected. */
    public RelayClientBuilder reconnect(Duration base, Duration max, Duration stableAfter) {
        this.reconnectBase = base;
        this.reconnectMax = max;
        this.stableAfter = stableAfter;
        return this;
    }

    /** Send retry back-off when the server gave no Retry-After; {@code maxAttempts} bounds the tries. */
    public RelayClientBuilder sendRetry(Duration base, Duration max, int maxAttempts) {
        this.sendRetryBase = base;
        this.sendRetryMax = max;
        this.sendMaxAttempts = maxAttempts;
        return this;
    }

    /** Messages per {@code /v1/sync} page (at most 1000). */
    public RelayClientBuilder syncLimit(int limit) {
        this.syncLimit = limit;
        return this;
    }

    public RelayClientBuilder tokenRefreshMargin(Duration margin) {
        this.tokenRefreshMargin = margin;
        return this;
    }

    public RelayClientBuilder timeouts(Duration connect, Duration request) {
        this.connectTimeout = connect;
        this.requestTimeout = request;
        return this;
    }

    /** Test hook: a frame for which this answers false is dropped, as if the network had lost it. */
    public RelayClientBuilder frameFilter(Predicate<ServerFrame> filter) {
        this.frameFilter = Objects.requireNonNull(filter, "filter");
        return this;
    }

    public RelayClient build() {
        Objects.requireNonNull(ingest, "ingestUrl");
        Objects.requireNonNull(sync, "syncUrl");
        Objects.requireNonNull(edge, "edgeUrl");
        Objects.requireNonNull(token, "token");
        return new RelayClient(new ClientOptions(ingest, sync, edge, token, device, List.copyOf(listeners), store,
                transport, reconnectBase, reconnectMax, stableAfter, sendRetryBase, sendRetryMax, sendMaxAttempts,
                syncLimit, tokenRefreshMargin, requestTimeout, connectTimeout, frameFilter));
    }

    private static URI base(String url, String suffix) {
        return URI.create(trim(url, suffix));
    }

    private static String trim(String url, String suffix) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        if (!suffix.isEmpty() && result.endsWith(suffix)) {
            result = result.substring(0, result.length() - suffix.length());
        }
        return result;
    }
}
