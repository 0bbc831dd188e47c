package dev.relay.fanout.redis;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.wire.MembershipEvent;
import dev.relay.contract.wire.RelayJson;
import dev.relay.fanout.metrics.FanoutMetrics;
import dev.relay.fanout.route.AudienceCache;
import dev.relay.platform.retry.Backoff;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the audience cache honest: every conversation announced on
 * {@code RedisKeys.MEMBERSHIP_CHANGES} (ingest-fn publishes one {@link MembershipEvent} per membership
 * change, before its 204) drops that conversation's entry, on every fanout instance (each subscribes).
 * Pub/sub forgets what it sent while nobody listened, so the cache keeps entries only while the
 * subscription is live: it starts caching afresh when subscribed and stops (dropping everything)
 * when the subscription is lost. A lost subscription is retried with back-off for as long as the
 * app runs.
 */
@ApplicationScoped
public class MembershipChangeSubscriber {

    private static final Logger LOG = Logger.getLogger(MembershipChangeSubscriber.class);
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final ReactiveRedisDataSource redis;
    private final AudienceCache cache;
    private final FanoutMetrics metrics;
    private final Vertx vertx;
    private final ObjectReader events = RelayJson.newMapper().readerFor(MembershipEvent.class);
    /** Identifies the current subscription attempt; only its first loss schedules a retry. */
    private final AtomicLong attempt = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean stopped;

    public MembershipChangeSubscriber(ReactiveRedisDataSource redis, AudienceCache cache, FanoutMetrics metrics,
                                      Vertx vertx) {
        this.redis = redis;
        this.cache = cache;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        subscribe();
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        long current = attempt.incrementAndGet();
        redis.pubsub(String.class)
                .subscribe(RedisKeys.MEMBERSHIP_CHANGES, this::changed, () -> lost(current, null), e -> lost(current, e))
                .subscribe().with(s -> subscribed(current, s), e -> lost(current, e));
    }

    private void subscribed(long current, ReactiveRedisSubscriber s) {
        if (stopped || attempt.get() != current) {
            // Lost (or stopped) while subscribing; a newer attempt owns the subscription.
            unsubscribe(s);
            return;
        }
        subscriber = s;
        consecutiveFailures.set(0);
        cache.startCaching();
    }

    /**
     * A {@link MembershipEvent} (JSON), or a bare conversation id as announced before events carried
     * the user; anything unreadable clears the whole cache, since it may have named any conversation.
     */
    private void changed(String payload) {
        String text = payload.trim();
        if (!text.startsWith("{")) {
            cache.invalidate(text);
        } else {
            try {
                MembershipEvent event = events.readValue(text);
                if (event.conversationId() == null) {
                    cache.clear();
                } else {
                    cache.invalidate(event.conversationId());
                }
            } catch (IOException unreadable) {
                LOG.warnf("unreadable membership announcement; cache cleared: %s", unreadable.getMessage());
                cache.clear();
            }
        }
        metrics.membershipInvalidation();
    }

    private void lost(long current, Throwable cause) {
        if (stopped || !attempt.compareAndSet(current, current + 1)) {
            return;
        }
        cache.stopCaching();
        int failures = consecutiveFailures.incrementAndGet();
        long delay = RETRY.ceiling(failures - 1).toMillis();
        if (failures == 1) {
            LOG.warnf("membership-change subscription lost (%s); audiences read from the store until resubscribed",
                    cause == null ? "connection closed" : cause.getClass().getSimpleName());
        }
        vertx.setTimer(delay, id -> subscribe());
    }

    /** On the shutdown event, before the Redis client closes its connections underneath us. */
    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        ReactiveRedisSubscriber s = subscriber;
        if (s != null) {
            unsubscribe(s);
        }
    }

    /** Best effort: a subscription that cannot be ended dies with its connection anyway. */
    private static void unsubscribe(ReactiveRedisSubscriber s) {
        s.unsubscribe().subscribe().with(ignored -> { },
                failure -> LOG.debugf("unsubscribing from membership announcements failed: %s", failure.getMessage()));
    }
}
