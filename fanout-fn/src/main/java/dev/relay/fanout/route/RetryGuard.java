package dev.relay.fanout.route;

import dev.relay.fanout.config.FanoutConfig;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one record's routing with bounded retries: exponential back-off from
 * {@code relay.fanout.retry.initial-delay} doubling up to {@code max-delay}, each delay moved by
 * random jitter so that partitions failing together do not retry in lockstep. Every failure but
 * {@link UnroutableFrameException} (the frame itself, not the infrastructure) and
 * {@link DependencyUnavailableException} (an outage, which the caller waits out in {@link RoutingPause}
 * without counting attempts) is treated as transient; what still fails after {@code max-attempts}, or is
 * unroutable, is the caller's to dead-letter.
 */
@ApplicationScoped
public class RetryGuard {

    private final Guard guard;

    public RetryGuard(FanoutConfig config) {
        FanoutConfig.Retry retry = config.retry();
        this.guard = Guard.create()
                .withDescription("fanout-route")
                .withRetry()
                    .maxRetries(retry.maxAttempts() - 1)
                    .abortOn(java.util.List.of(UnroutableFrameException.class, DependencyUnavailableException.class))
                    .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(retry.jitter().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(retry.maxDelay().toMillis() * retry.maxAttempts() + 1000, ChronoUnit.MILLIS)
                    .withExponentialBackoff()
                        .factor(2)
                        .maxDelay(retry.maxDelay().toMillis(), ChronoUnit.MILLIS)
                        .done()
                    .done()
                .build();
    }

    /**
     * @param attempts incremented before every attempt, so the caller can report how many were made
     * @throws RuntimeException the last failure once the attempts are used up
     */
    public RouteOutcome call(Supplier<RouteOutcome> route, AtomicInteger attempts) {
        return guard.get(() -> {
            attempts.incrementAndGet();
            return route.get();
        }, RouteOutcome.class);
    }
}
