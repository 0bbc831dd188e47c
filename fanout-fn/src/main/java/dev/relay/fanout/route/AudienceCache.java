package dev.relay.fanout.route;

import dev.relay.fanout.config.FanoutConfig;
import dev.relay.fanout.dynamo.AudienceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A short-lived, bounded cache of each conversation's {@link Audience} in front of DynamoDB.
 *
 * <p>Invariant: a value loaded before an invalidation is never stored after it. Every invalidation
 * bumps {@code generation}; a load stores its result only if the generation is still the one it
 * started with, checked and stored atomically with respect to the key.
 *
 * <p>Invariant: an entry is served only while membership announcements can be heard. Until the
 * subscriber is subscribed ({@link #startCaching}), and from the moment its subscription is lost
 * ({@link #stopCaching}), every lookup reads the store and nothing is kept, so a removal announced
 * while nobody listened never routes to the removed member from a stale entry.
 */
@ApplicationScoped
public class AudienceCache {

    private record Entry(Audience audience, long expiresAtNanos) {
    }

    private final Function<String, Audience> loader;
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean caching;

    @Inject
    public AudienceCache(AudienceStore store, FanoutConfig config) {
        this(store::load, config.membersCache().ttl(), config.membersCache().maxEntries(), System::nanoTime);
    }

    AudienceCache(Function<String, Audience> loader, Duration ttl, int maxEntries, LongSupplier nanoClock) {
        this.loader = loader;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
    }

    /** The cached audience, or a fresh one from the store (whose failures propagate to the caller). */
    public Audience get(String conversationId) {
        long now = nanoClock.getAsLong();
        Entry cached = entries.get(conversationId);
        if (cached != null && now - cached.expiresAtNanos() < 0) {
            return cached.audience();
        }
        long startedAt = generation.get();
        boolean keep = caching;
        Audience fresh = loader.apply(conversationId);
        if (keep) {
            makeRoom();
            entries.compute(conversationId, (id, current) ->
                    generation.get() == startedAt ? new Entry(fresh, now + ttlNanos) : current);
        }
        return fresh;
    }

    /** Drops one conversation's entry, and any load of it still in flight. */
    public void invalidate(String conversationId) {
        generation.incrementAndGet();
        entries.remove(conversationId);
    }

    /** Drops everything, for when announcements may have been missed. */
    public void clear() {
        generation.incrementAndGet();
        entries.clear();
    }

    /** Announcements are heard from now on: starts afresh and keeps what it loads. */
    public void startCaching() {
        clear();
        caching = true;
    }

    /**
     * Announcements can no longer be heard: drops everything, and any load in flight, and keeps
     * nothing until {@link #startCaching}.
     */
    public void stopCaching() {
        caching = false;
        clear();
    }

    int size() {
        return entries.size();
    }

    private void makeRoom() {
        if (entries.size() < maxEntries) {
            return;
        }
        long now = nanoClock.getAsLong();
        entries.values().removeIf(entry -> now - entry.expiresAtNanos() >= 0);
        Iterator<String> keys = entries.keySet().iterator();
        int target = Math.max(0, maxEntries - Math.max(1, maxEntries / 10));
        while (entries.size() > target && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
