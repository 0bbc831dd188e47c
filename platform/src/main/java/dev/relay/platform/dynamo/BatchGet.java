package dev.relay.platform.dynamo;

import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Strongly consistent BatchGetItem over any number of keys of one table: chunks of
 * {@value #MAX_KEYS} (the DynamoDB limit), unprocessed keys retried with jittered back-off a bounded
 * number of times, then 503. Missing items are simply absent from the result.
 */
public final class BatchGet {

    public static final int MAX_KEYS = 100;
    private static final int MAX_ROUNDS = 8;
    private static final long MAX_BACKOFF_MS = 200;

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
            for (int round = 1; request != null; round++) {
                if (round > MAX_ROUNDS) {
                    throw new RelayProblem(ProblemType.UNAVAILABLE, "the store is throttling reads; retry later", 1);
                }
                if (round > 1) {
                    backOff(round);
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

    private static void backOff(int round) {
        long cap = Math.min(MAX_BACKOFF_MS, 10L << round);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayProblem(ProblemType.UNAVAILABLE, "interrupted while reading", 1);
        }
    }
}
