package dev.relay.load;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Idempotency;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.names.Tables.Messages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The server's own ceiling for the work one send needs, with no Relay code in the way: the one
 * TransactWriteItems a send commits (see {@link #items}), each thread on its own conversation and
 * knowing its {@code lastSeq}, as ingest-fn does when it is not contended, so no attempt loses a race.
 */
final class DynamoDbFloor {

    private static final String SENDER = "floor-sender";

    private DynamoDbFloor() {
    }

    record Result(long transactions, Duration elapsed, Latencies latencies) {
        double perSecond() {
            return transactions / (elapsed.toNanos() / 1e9);
        }
    }

    /** The HTTP client of the floors' DynamoDB client: pooled keep-alive connections, as the apps have. */
    static ApacheHttpClient.Builder pooledHttp() {
        return ApacheHttpClient.builder().maxConnections(64);
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
                    createConversation(client, conversation);
                    long last = 0;
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        long previous = last;
                        try {
                            client.transactWriteItems(b -> b.transactItems(items(conversation, previous)));
                            last++;
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
     * The one TransactWriteItems a send commits (same four conditional items), paced at
     * {@code perSecond} on one conversation; only the transaction is timed, since this run knows
     * {@code lastSeq} without reading it.
     */
    static Latencies pacedTransactWrites(DynamoDbClient client, double perSecond, Duration duration) throws Exception {
        String conversation = "floor-" + UUID.randomUUID();
        createConversation(client, conversation);
        Latencies latencies = new Latencies();
        Pacer.run(perSecond, duration, i -> {
            long t0 = System.nanoTime();
            client.transactWriteItems(b -> b.transactItems(items(conversation, i)));
            latencies.recordNanos(System.nanoTime() - t0);
        });
        return latencies;
    }

    /**
     * The four items of a send's transaction, with the same attributes and conditions as platform
     * {@code MessageLog}: the message put if absent, the conversation's {@code lastSeq} n-1 → n with
     * the {@code pending-publish} index attributes, the sender's member item watermarks (which must
     * exist), and the idempotency record put if absent.
     */
    private static List<TransactWriteItem> items(String conversation, long last) {
        String seq = Long.toString(last + 1);
        String now = Instant.now().toString();
        return List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(Messages.NAME)
                        .item(Map.of(Messages.CONVERSATION_ID, AttributeValue.fromS(conversation),
                                Messages.SEQ, AttributeValue.fromN(seq),
                                Messages.MESSAGE_ID, AttributeValue.fromS(UUID.randomUUID().toString()),
                                Messages.SENDER_ID, AttributeValue.fromS(SENDER),
                                Messages.BODY, AttributeValue.fromS("floor message of a typical length, about sixty bytes"),
                                Messages.SENT_AT, AttributeValue.fromS(now),
                                Messages.QOS, AttributeValue.fromS("exactly-once")))
                        .conditionExpression("attribute_not_exists(#s)")
                        .expressionAttributeNames(Map.of("#s", Messages.SEQ)).build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(Conversations.NAME)
                        .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversation)))
                        .updateExpression("SET #l = :n, #a = :now, #p = :pending, #c = if_not_exists(#c, :nowMillis)")
                        .conditionExpression("#l = :p")
                        .expressionAttributeNames(Map.of("#l", Conversations.LAST_SEQ, "#a", Conversations.LAST_ACTIVITY_AT,
                                "#p", Conversations.PUBLISH_PENDING, "#c", Conversations.COMMITTED_AT))
                        .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(seq),
                                ":p", AttributeValue.fromN(Long.toString(last)),
                                ":now", AttributeValue.fromS(now),
                                ":pending", AttributeValue.fromS("1"),
                                ":nowMillis", AttributeValue.fromN(Long.toString(System.currentTimeMillis()))))
                        .build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(Members.NAME)
                        .key(Map.of(Members.CONVERSATION_ID, AttributeValue.fromS(conversation),
                                Members.USER_ID, AttributeValue.fromS(SENDER)))
                        .updateExpression("SET #r = :n, #d = :n")
                        .conditionExpression("attribute_exists(#u)")
                        .expressionAttributeNames(Map.of("#r", Members.READ_SEQ, "#d", Members.DELIVERED_SEQ, "#u", Members.USER_ID))
                        .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(seq)))
                        .build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(Idempotency.NAME)
                        .item(Map.of(Idempotency.SENDER_ID, AttributeValue.fromS(conversation),
                                Idempotency.IDEMPOTENCY_KEY, AttributeValue.fromS(seq),
                                Idempotency.FINGERPRINT, AttributeValue.fromS("floor"),
                                Idempotency.CONVERSATION_ID, AttributeValue.fromS(conversation),
                                Idempotency.SEQ, AttributeValue.fromN(seq),
                                Idempotency.SENT_AT, AttributeValue.fromS(now),
                                Idempotency.EXPIRES_AT, AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() + 90_000))))
                        .conditionExpression("attribute_not_exists(#k)")
                        .expressionAttributeNames(Map.of("#k", Idempotency.IDEMPOTENCY_KEY)).build()).build());
    }

    /** The conversation and its one member, as creating a conversation leaves them. */
    private static void createConversation(DynamoDbClient client, String conversation) {
        client.putItem(b -> b.tableName(Members.NAME).item(Map.of(
                Members.CONVERSATION_ID, AttributeValue.fromS(conversation),
                Members.USER_ID, AttributeValue.fromS(SENDER),
                Members.DELIVERED_SEQ, AttributeValue.fromN("0"),
                Members.READ_SEQ, AttributeValue.fromN("0"))));
        client.putItem(b -> b.tableName(Conversations.NAME).item(Map.of(
                Conversations.CONVERSATION_ID, AttributeValue.fromS(conversation),
                Conversations.LAST_SEQ, AttributeValue.fromN("0"),
                Conversations.MEMBER_COUNT, AttributeValue.fromN("1"))));
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

