package dev.relay.sync.read;

import dev.relay.sync.config.SyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the pages of each catch-up for the {@code relay.sync.catchup.pages} metric. Sync is
 * stateless, but a client continues a catch-up by sending back exactly the cursors it was given;
 * so an answer with {@code hasMore} is remembered under (user, returned cursors) and a request
 * that matches is its next page. Memory is bounded (LRU) and per instance: a continuation served
 * by another instance starts a new count there. Never consulted for anything but the metric.
 */
@ApplicationScoped
public class CatchUpPages {

    private static final int MAX_OPEN = 10_000;

    private record Open(int pages, long sinceNanos) {
    }

    private final SyncMetrics metrics;
    private final long memoryNanos;
    private final Map<String, Open> open = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Open> eldest) {
            return size() > MAX_OPEN;
        }
    };

    public CatchUpPages(SyncMetrics metrics, SyncConfig config) {
        this.metrics = metrics;
        this.memoryNanos = config.catchUpMemory().toNanos();
    }

    /** One sync call answered: {@code asked} were the request's cursors, {@code given} the answer's. */
    public void answered(String userId, Map<String, Long> asked, Map<String, Long> given, boolean hasMore) {
        long now = System.nanoTime();
        int pages;
        synchronized (open) {
            Open previous = open.remove(key(userId, asked));
            pages = previous != null && now - previous.sinceNanos() < memoryNanos ? previous.pages() + 1 : 1;
            if (hasMore) {
                open.put(key(userId, given), new Open(pages, now));
            }
        }
        if (!hasMore) {
            metrics.catchUpFinished(pages);
        }
    }

    private static String key(String userId, Map<String, Long> cursors) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(userId.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Long> cursor : new TreeMap<>(cursors).entrySet()) {
                digest.update((byte) 0);
                digest.update(cursor.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '=');
                digest.update(Long.toString(cursor.getValue()).getBytes(StandardCharsets.US_ASCII));
            }
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
