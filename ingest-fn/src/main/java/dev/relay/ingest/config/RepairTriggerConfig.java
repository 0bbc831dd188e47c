package dev.relay.ingest.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * Who runs the repair sweep. Scheduled (in process, every {@code relay.ingest.repair.interval}) or
 * triggered ({@code POST /internal/repair-sweep} by the EventBridge schedule, infra/terraform). Exactly
 * one of the two is active in a process.
 */
@ConfigMapping(prefix = "relay.ingest.repair-trigger")
public interface RepairTriggerConfig {

    /**
     * Triggered instead of scheduled. Unset: triggered exactly when running on AWS Lambda
     * ({@code AWS_LAMBDA_RUNTIME_API} is set), where a frozen process would never run a schedule.
     */
    Optional<Boolean> enabled();

    default boolean triggered() {
        return enabled().orElseGet(() -> System.getenv("AWS_LAMBDA_RUNTIME_API") != null);
    }
}
