package dev.relay.client;

import dev.relay.contract.frame.ServerFrame;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Everything a {@link RelayClient} is built from; {@link RelayClientBuilder} fills the defaults. */
record ClientOptions(
        URI ingest,
        URI sync,
        URI edge,
        Supplier<CompletableFuture<String>> token,
        String device,
        List<RelayListener> listeners,
        CursorStore store,
        HttpTransport transport,
        Duration reconnectBase,
        Duration reconnectMax,
        Duration stableAfter,
        Duration sendRetryBase,
        Duration sendRetryMax,
        int sendMaxAttempts,
        int syncLimit,
        Duration tokenRefreshMargin,
        Duration requestTimeout,
        Duration connectTimeout,
        Predicate<ServerFrame> frameFilter) {
}
