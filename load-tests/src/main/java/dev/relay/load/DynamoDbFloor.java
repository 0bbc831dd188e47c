package dev.relay.load;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.ingest.append.AppendTransaction;
import dev.relay.ingest.append.IdempotencyClaim;
import dev.relay.ingest.append.SeqRun;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The server's own ceiling for the work one send needs, with no app in the way: the one
 * TransactWriteItems a send commits (see {@link #items}), each thread on its own conversation and
 * knowing its {@code lastSeq}, as ingest-fn does when it is not contended, so no attempt loses a race.
 */
final class DynamoDbFloor {

    private static final String SENDER = "floor-sender";
    /** The local stack's tables have the contract's names, unprefixed. */
    private static final AppendTransaction TRANSACTION = new AppendTransaction(name -> name);

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

    /**
     * Each thread writes {@code conversationsPerThread} conversations of its own in turn (as each
     * ingest benchmark sender does), recording each transaction's latency into {@code latencies}
     * (shared by several runs).
     */
    static Result sendShapedTransactions(DynamoDbClient client, int threads, int conversationsPerThread, Duration duration,
                                         Latencies latencies) throws Exception {
        String run = "floor-" + UUID.randomUUID();
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = run + "-" + t + "-";
                workers.add(pool.submit(() -> {
                    String[] conversations = new String[conversationsPerThread];
                    long[] last = new long[conversationsPerThread];
                    for (int c = 0; c < conversationsPerThread; c++) {
                        conversations[c] = prefix + c;
                        createConversation(client, conversations[c]);
                    }
                    for (int n = 0; System.nanoTime() < deadline; n++) {
                        int c = n % conversationsPerThread;
                        long previous = last[c];
                        long t0 = System.nanoTime();
                        try {
                            client.transactWriteItems(b -> b.transactItems(items(conversations[c], previous)));
                            last[c]++;
                            done.incrementAndGet();
                            latencies.recordNanos(System.nanoTime() - t0);
                        } catch (TransactionCanceledException unexpected) {
                            // Only this thread writes its conversations; a cancel here is a server hiccup.
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
     * The transaction a send commits at seq {@code last + 1}, built by the code ingest-fn uses
     * ({@link AppendTransaction}): an exactly-once message with a client-chosen random key, and,
     * from the second seq on, the previous seq recorded as published, as ingest-fn's appends do
     * once Kafka has acked the one before.
     */
    private static List<TransactWriteItem> items(String conversation, long last) {
        long seq = last + 1;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Message message = new Message(UUID.randomUUID().toString(), conversation, seq, SENDER,
                "floor message of a typical length, about sixty bytes", null, now, Qos.EXACTLY_ONCE);
        IdempotencyClaim claim = new IdempotencyClaim(UUID.randomUUID().toString(),
                HexFormat.of().formatHex(new byte[32]), now.plus(Duration.ofHours(25)));
        return TRANSACTION.items(message, claim, last >= 1 ? new SeqRun(last, last) : null);
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

