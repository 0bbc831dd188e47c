package dev.relay.platform.dynamo;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts and times DynamoDB requests by operation and outcome
 * ({@code relay_dynamodb_requests_total}, {@code relay_dynamodb_request_seconds}) and counts the HTTP
 * attempts the SDK made for them ({@code relay_dynamodb_attempts_total}; attempts beyond requests are
 * SDK retries), so the cost of a call in reads, writes and waiting can be measured, not guessed. The
 * time is the whole SDK call, retries and back-off included. Registered on the client with {@code quarkus.dynamodb.interceptors};
 * the SDK creates it, hence the global registry.
 */
public class DynamoDbRequestCounter implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("relay.dynamodb.started");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Metrics.counter("relay.dynamodb.attempts", "operation", operation(attributes)).increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, "ok");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, "failed");
    }

    private static void record(ExecutionAttributes attributes, String outcome) {
        String operation = operation(attributes);
        Metrics.counter("relay.dynamodb.requests", "operation", operation, "outcome", outcome).increment();
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            Timer.builder("relay.dynamodb.request").tags("operation", operation, "outcome", outcome)
                    .register(Metrics.globalRegistry)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private static String operation(ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return name == null ? "unknown" : name;
    }
}
