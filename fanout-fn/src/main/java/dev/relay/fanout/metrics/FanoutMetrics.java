package dev.relay.fanout.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * fanout-fn's own meters (Prometheus names in brackets). Consumer lag comes from the Kafka client
 * metrics that the Micrometer Kafka binder exports ({@code kafka_consumer_fetch_manager_records_lag*}).
 * <ul>
 * <li>{@code relay.fanout.records} [relay_fanout_records_total]: records handled, by topic and
 *     outcome (routed, dead-lettered, dropped); its rate is records/s.</li>
 * <li>{@code relay.fanout.route} [relay_fanout_route_seconds]: time to route one record, retries included.</li>
 * <li>{@code relay.fanout.end.to.end} [relay_fanout_end_to_end_seconds]: a message's commit time
 *     ({@code sentAt}) to its publish towards the edges; replays are left out.</li>
 * <li>{@code relay.fanout.dead.letters} [relay_fanout_dead_letters_total]: by reason (poison, exhausted).</li>
 * <li>{@code relay.fanout.membership.invalidations}: cache entries dropped on announcement.</li>
 * <li>{@code relay.fanout.publish.unheard}: node publishes no subscriber received (stale presence).</li>
 * </ul>
 */
@ApplicationScoped
public class FanoutMetrics {

    private final MeterRegistry registry;
    private final Timer endToEnd;
    private final Counter invalidations;
    private final Counter unheard;

    public FanoutMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.endToEnd = Timer.builder("relay.fanout.end.to.end")
                .description("Message commit (sentAt) to publish towards the edge nodes")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.invalidations = Counter.builder("relay.fanout.membership.invalidations")
                .description("Audience cache entries dropped because a membership change was announced")
                .register(registry);
        this.unheard = Counter.builder("relay.fanout.publish.unheard")
                .description("Publishes that no edge node received")
                .register(registry);
    }

    public void routed(String topic, Duration routeTime) {
        record(topic, "routed");
        Timer.builder("relay.fanout.route")
                .description("Time to route one record, retries included")
                .tag("topic", topic)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(routeTime);
    }

    public void endToEnd(Duration latency) {
        endToEnd.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    public void deadLettered(String topic, String reason) {
        record(topic, "dead-lettered");
        registry.counter("relay.fanout.dead.letters", "reason", reason).increment();
    }

    public void dropped(String topic, String reason) {
        record(topic, "dropped");
        registry.counter("relay.fanout.dropped", "topic", topic, "reason", reason).increment();
    }

    public void membershipInvalidation() {
        invalidations.increment();
    }

    public void unheardPublish() {
        unheard.increment();
    }

    private void record(String topic, String outcome) {
        registry.counter("relay.fanout.records", "topic", topic, "outcome", outcome).increment();
    }
}
