package dev.relay.load;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Idempotency;
import dev.relay.contract.names.Tables.Messages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The server's own ceiling for the work one send needs, with no Relay code in the way: a consistent
 * read of {@code lastSeq}, then one TransactWriteItems of the same three conditional items a send
 * writes (message put if absent, lastSeq n-1 → n, idempotency put if absent), each thread on its own
 * conversations so no attempt loses a race.
 */
final class DynamoDbFloor {

    private DynamoDbFloor() {
    }

    record Result(long transactions, Duration elapsed, Latencies latencies) {
        double perSecond() {
            return transactions / (elapsed.toNanos() / 1e9);
        }
    }

    static Result sendShapedTransactions(DynamoDbClient client, int threads, Duration duration) throws Exception {
        String run = "floor-" + UUID.randomUUID();
        AtomicLong done = new AtomicLong();
        Latencies latencies = new Latencies();
        long deadline = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String conversation = run + "-" + t;
                workers.add(pool.submit(() -> {
                    client.putItem(b -> b.tableName(Conversations.NAME).item(Map.of(
                            Conversations.CONVERSATION_ID, AttributeValue.fromS(conversation),
                            Conversations.LAST_SEQ, AttributeValue.fromN("0"))));
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        long last = Long.parseLong(client.getItem(b -> b.tableName(Conversations.NAME).consistentRead(true)
                                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversation))))
                                .item().get(Conversations.LAST_SEQ).n());
                        try {
                            client.transactWriteItems(b -> b.transactItems(items(conversation, last)));
                            done.incrementAndGet();
                            latencies.recordNanos(System.nanoTime() - t0);
                        } catch (TransactionCanceledException unexpected) {
                            // Only this thread writes its conversation; a cancel here is a server hiccup.
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return new Result(done.get(), Duration.ofNanos(System.nanoTime() - start), latencies);
    }

    /**
     * The one TransactWriteItems a send commits (same three conditional items), paced at
     * {@code perSecond} on one conversation; only the transaction is timed, since this run knows
     * {@code lastSeq} without reading it.
     */
    static Latencies pacedTransactWrites(DynamoDbClient client, double perSecond, Duration duration) throws Exception {
        String conversation = "floor-" + UUID.randomUUID();
        client.putItem(b -> b.tableName(Conversations.NAME).item(Map.of(
                Conversations.CONVERSATION_ID, AttributeValue.fromS(conversation),
                Conversations.LAST_SEQ, AttributeValue.fromN("0"))));
        Latencies latencies = new Latencies();
        Pacer.run(perSecond, duration, i -> {
            long t0 = System.nanoTime();
            client.transactWriteItems(b -> b.transactItems(items(conversation, i)));
            latencies.recordNanos(System.nanoTime() - t0);
        });
        return latencies;
    }

    private static List<TransactWriteItem> items(String conversation, long last) {
        String seq = Long.toString(last + 1);
        return List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(Messages.NAME)
                        .item(Map.of(Messages.CONVERSATION_ID, AttributeValue.fromS(conversation),
                                Messages.SEQ, AttributeValue.fromN(seq),
                                Messages.BODY, AttributeValue.fromS("floor message of a typical length, about sixty bytes")))
                        .conditionExpression("attribute_not_exists(#s)")
                        .expressionAttributeNames(Map.of("#s", Messages.SEQ)).build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(Conversations.NAME)
                        .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversation)))
                        .updateExpression("SET #l = :n").conditionExpression("#l = :p")
                        .expressionAttributeNames(Map.of("#l", Conversations.LAST_SEQ))
                        .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(seq),
                                ":p", AttributeValue.fromN(Long.toString(last)))).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(Idempotency.NAME)
                        .item(Map.of(Idempotency.SENDER_ID, AttributeValue.fromS(conversation),
                                Idempotency.IDEMPOTENCY_KEY, AttributeValue.fromS(seq)))
                        .conditionExpression("attribute_not_exists(#k)")
                        .expressionAttributeNames(Map.of("#k", Idempotency.IDEMPOTENCY_KEY)).build()).build());
    }

    /** Consistent Query of up to {@code pageSize} log items, the read a catch-up page makes. */
    static Result consistentQueries(DynamoDbClient client, String conversationId, int pageSize, int threads,
                                    Duration duration) throws Exception {
        AtomicLong done = new AtomicLong();
        Latencies latencies = new Latencies();
        long deadline = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        client.query(b -> b.tableName(Messages.NAME).consistentRead(true).limit(pageSize)
                                .keyConditionExpression("#c = :c AND #s > :after")
                                .expressionAttributeNames(Map.of("#c", Messages.CONVERSATION_ID, "#s", Messages.SEQ))
                                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(conversationId),
                                        ":after", AttributeValue.fromN("0"))));
                        done.incrementAndGet();
                        latencies.recordNanos(System.nanoTime() - t0);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return new Result(done.get(), Duration.ofNanos(System.nanoTime() - start), latencies);
    }
}
