package dev.relay.platform.dynamo;

import dev.relay.contract.names.Tables;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Ready only while every Relay table answers DescribeTable within the configured timeout. */
@Readiness
@ApplicationScoped
public class DynamoDbReadiness implements HealthCheck {

    private final DynamoDbClient dynamoDb;
    private final TableNames tables;
    private final DynamoDbConfig config;

    public DynamoDbReadiness(DynamoDbClient dynamoDb, TableNames tables, DynamoDbConfig config) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("dynamodb");
        List<String> names = Tables.all().stream().map(tables::of).toList();
        try {
            CompletableFuture.runAsync(() -> names.forEach(name -> dynamoDb.describeTable(b -> b.tableName(name))))
                    .get(config.healthTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return response.up().withData("tables", String.join(",", names)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return response.down().withData("error", cause.getClass().getSimpleName() + ": " + cause.getMessage()).build();
        }
    }
}
