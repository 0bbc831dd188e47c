package dev.relay.platform.dynamo;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.platform.retry.RetryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Strongly consistent BatchGetItem over any number of keys of one table: chunks of
 * {@value #MAX_KEYS} (the DynamoDB limit), unprocessed keys retried with jittered back-off at most
 * 8 rounds and 2 s per chunk ({@link RetryBudget}), then 503. Missing items are simply absent from the result.
 */
public final class BatchGet {

    public static final int MAX_KEYS = 100;
    private static final RetryBudget RETRIES =
            new RetryBudget(8, Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMillis(200));

    private BatchGet() {
    }

    /**
     * @param projection a ProjectionExpression over {@code names}, or null for whole items
     */
    public static List<Map<String, AttributeValue>> items(DynamoDbClient dynamoDb, String table,
                                                   List<Map<String, AttributeValue>> keys,
                                                   String projection, Map<String, String> names) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(keys.size());
        for (int from = 0; from < keys.size(); from += MAX_KEYS) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_KEYS));
            KeysAndAttributes request = request(chunk, projection, names);
            RetryBudget.Run rounds = RETRIES.start();
            for (boolean first = true; request != null; first = false) {
                if (!first) {
                    if (!rounds.mayRetry()) {
                        throw new RelayProblem(ProblemType.UNAVAILABLE, "the store is throttling reads; retry later", 1);
                    }
                    backOff(rounds);
                }
                KeysAndAttributes asked = request;
                BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(Map.of(table, asked)));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                KeysAndAttributes left = response.unprocessedKeys().get(table);
                request = left == null || !left.hasKeys() || left.keys().isEmpty() ? null : left;
            }
        }
        return items;
    }

    private static KeysAndAttributes request(List<Map<String, AttributeValue>> keys, String projection,
                                             Map<String, String> names) {
        KeysAndAttributes.Builder request = KeysAndAttributes.builder().keys(keys).consistentRead(true);
        if (projection != null) {
            request.projectionExpression(projection).expressionAttributeNames(names);
        }
        return request.build();
    }

    private static void backOff(RetryBudget.Run rounds) {
        try {
            rounds.backOff();
        } catch (IllegalStateException interrupted) {
            throw new RelayProblem(ProblemType.UNAVAILABLE, "interrupted while reading", 1);
        }
    }
}
