package dev.relay.ingest.append;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The items of one {@code TransactWriteItems}, with the keys of the items they touch (by identity)
 * and an estimate of their size in bytes: one append attempt's, or several of them together
 * ({@link GroupCommit}).
 */
public record TransactionRequest(List<TransactWriteItem> items, Set<String> keys, long bytes) {

    /** DynamoDB allows 100 operations per transaction. */
    public static final int MAX_ITEMS = 100;

    public TransactionRequest {
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("a transaction has 1 to " + MAX_ITEMS + " items");
        }
        items = List.copyOf(items);
        keys = Set.copyOf(keys);
    }

    /** One transaction of all of {@code requests}' items; their keys must be disjoint (the caller checks). */
    public static TransactionRequest together(List<TransactionRequest> requests) {
        List<TransactWriteItem> items = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        long bytes = 0;
        for (TransactionRequest request : requests) {
            items.addAll(request.items());
            keys.addAll(request.keys());
            bytes += request.bytes();
        }
        return new TransactionRequest(items, keys, bytes);
    }
}
