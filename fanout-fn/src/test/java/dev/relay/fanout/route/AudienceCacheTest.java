package dev.relay.fanout.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Entries are kept only while membership announcements can be heard, and never outlive their TTL. */
class AudienceCacheTest {

    private static final Duration TTL = Duration.ofSeconds(15);

    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger loads = new AtomicInteger();
    private Runnable duringLoad = () -> { };
    private final Function<String, Audience> store = id -> {
        loads.incrementAndGet();
        duringLoad.run();
        return new Audience.Members(List.of("member-of-" + id));
    };
    private final AudienceCache cache = new AudienceCache(store, TTL, 100, clock::get);

    @Test
    void beforeTheSubscriptionIsLiveEveryLookupReadsTheStore() {
        cache.get("c1");
        cache.get("c1");

        assertThat(loads).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void whileCachingAConversationIsReadOncePerTtl() {
        cache.startCaching();
        assertThat(cache.get("c1")).isEqualTo(new Audience.Members(List.of("member-of-c1")));
        cache.get("c1");
        assertThat(loads).hasValue(1);

        clock.addAndGet(TTL.toNanos());
        cache.get("c1");
        assertThat(loads).as("an expired entry is read again").hasValue(2);
    }

    @Test
    void aLostSubscriptionDropsEverythingAndKeepsNothingUntilSubscribedAgain() {
        cache.startCaching();
        cache.get("c1");
        cache.get("c2");

        cache.stopCaching();
        assertThat(cache.size()).isZero();
        cache.get("c1");
        cache.get("c1");
        assertThat(loads).as("every lookup while deaf reads the store").hasValue(4);
        assertThat(cache.size()).isZero();

        cache.startCaching();
        cache.get("c1");
        cache.get("c1");
        assertThat(loads).hasValue(5);
    }

    @Test
    void aLoadInFlightWhenTheSubscriptionDropsIsNotKeptEvenIfItIsBackBeforeTheLoadEnds() {
        cache.startCaching();
        duringLoad = () -> {
            cache.stopCaching();
            cache.startCaching();
        };
        cache.get("c1");
        duringLoad = () -> { };

        assertThat(cache.size()).isZero();
        cache.get("c1");
        cache.get("c1");
        assertThat(loads).hasValue(2);
    }

    @Test
    void anAnnouncementDropsOnlyItsConversation() {
        cache.startCaching();
        cache.get("c1");
        cache.get("c2");

        cache.invalidate("c1");
        cache.get("c1");
        cache.get("c2");

        assertThat(loads).hasValue(3);
    }
}
