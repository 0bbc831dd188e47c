package dev.relay.platform.dynamo;

import io.micrometer.core.instrument.Metrics;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts DynamoDB requests by operation ({@code relay_dynamodb_requests_total{operation=...}}), so the
 * cost of a call in reads and writes can be measured, not guessed. Registered on the client with
 * {@code quarkus.dynamodb.interceptors}; the SDK creates it, hence the global registry.
 */
public class DynamoDbRequestCounter implements ExecutionInterceptor {

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        count(attributes, "ok");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        count(attributes, "failed");
    }

    private static void count(ExecutionAttributes attributes, String outcome) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Metrics.counter("relay.dynamodb.requests", "operation", operation == null ? "unknown" : operation,
                "outcome", outcome).increment();
    }
}
