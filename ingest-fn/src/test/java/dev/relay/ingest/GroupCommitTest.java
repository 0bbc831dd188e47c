package dev.relay.ingest;

import static dev.relay.ingest.Api.createConversation;
import static dev.relay.ingest.Api.newKey;
import static dev.relay.ingest.Api.newUser;
import static dev.relay.ingest.AppendRequests.atLeastOnce;
import static dev.relay.ingest.AppendRequests.exactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.ingest.append.AppendOutcome;
import dev.relay.ingest.append.GroupCommit;
import dev.relay.ingest.append.IdempotencyClaim;
import dev.relay.ingest.append.MessageAppender;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.platform.dynamo.TableNames;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Appends to many conversations at once through a {@link MessageAppender} whose {@link GroupCommit} has
 * a single committer, so that appends arriving while its transaction is in flight share transactions:
 * each must still get exactly its own answer, and nothing of an append that failed may be written.
 */
@QuarkusTest
@TestProfile(GroupCommitTest.GroupCommitOn.class)
class GroupCommitTest {

    /** The app's appender with group commit and acks-in-the-append on, as the {@code local} profile has them. */
    public static final class GroupCommitOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.ingest.append.group-commit.enabled", "true",
                    "relay.ingest.append.acks-in-append.enabled", "true");
        }
    }

    /** How long the tasks may take to reach their observable state (queued, or answered) on a loaded machine. */
    private static final Duration SETTLE = Duration.ofMinutes(3);
    /**
     * The append deadline of the logs that must let every append queue: longer than {@link #SETTLE},
     * so that no append gives up while the test waits for the others to reach the queue.
     */
    private static final Duration PATIENT = SETTLE.plusMinutes(1);

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    TableNames tables;

    @Inject
    IngestConfig config;

    @Test
    void appendsThatArriveWhileATransactionIsInFlightShareTheNextOne() throws Exception {
        String alice = newUser("alice");
        List<String> conversations = conversationsOf(alice, 40);
        CountingClient counting = new CountingClient(dynamoDb);
        GroupCommit group = OtherProcess.groupCommit(counting.client(), 1);
        MessageAppender log = OtherProcess.appender(counting.client(), tables, group, PATIENT,
                config.append().retryBudget());

        AppendOutcome alone = log.append(atLeastOnce(conversations.getFirst(), alice, "alone"));
        assertThat(alone).isInstanceOf(AppendOutcome.Committed.class);
        assertThat(counting.transactions()).as("an idle log commits an append by itself").isEqualTo(1);

        List<Callable<AppendOutcome>> appends = new ArrayList<>();
        for (String conversation : conversations) {
            appends.add(() -> log.append(exactlyOnce(conversation, alice, "together", claim(newKey(), "fingerprint"))));
        }
        List<AppendOutcome> outcomes = whileTheSlotIsBusy(log, group, counting, alice, appends);

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(AppendOutcome.Committed.class));
        assertThat(outcomes.stream().map(o -> ((AppendOutcome.Committed) o).message().seq()).toList())
                .isEqualTo(conversations.stream().map(c -> c.equals(conversations.getFirst()) ? 2L : 1L).toList());
        StoredState stored = new StoredState(dynamoDb);
        for (String conversation : conversations) {
            assertThat(stored.seqs(conversation)).isEqualTo(conversation.equals(conversations.getFirst())
                    ? List.of(1L, 2L) : List.of(1L));
        }
        // Besides the two above: 40 appends of 4 items need 2 transactions (100 items each at most), not 40.
        assertThat(counting.transactions() - 2).isBetween(2, 5);
    }

    @Test
    void anAppendInASharedTransactionGetsOnlyItsOwnAnswer() throws Exception {
        String alice = newUser("alice");
        String bob = newUser("bob");
        List<String> alices = new ArrayList<>();
        List<String> bobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            alices.add(createConversation(alice));
            bobs.add(createConversation(bob));
        }
        CountingClient counting = new CountingClient(dynamoDb);
        GroupCommit group = OtherProcess.groupCommit(counting.client(), 1);
        MessageAppender log = OtherProcess.appender(counting.client(), tables, group, PATIENT,
                config.append().retryBudget());
        List<String> keys = new ArrayList<>();
        for (String conversation : alices.subList(0, 4)) {
            String key = newKey();
            keys.add(key);
            assertThat(log.append(exactlyOnce(conversation, alice, "first", claim(key, "fingerprint-" + key))))
                    .isInstanceOf(AppendOutcome.Committed.class);
        }

        List<Callable<AppendOutcome>> appends = new ArrayList<>();
        for (String conversation : alices.subList(4, 10)) {
            appends.add(() -> log.append(exactlyOnce(conversation, alice, "fresh", claim(newKey(), "f"))));
        }
        for (String conversation : bobs) {
            appends.add(() -> log.append(atLeastOnce(conversation, alice, "not a member")));
        }
        for (int i = 0; i < 2; i++) {
            String key = keys.get(i);
            String conversation = alices.get(i);
            appends.add(() -> log.append(exactlyOnce(conversation, alice, "first", claim(key, "fingerprint-" + key))));
        }
        for (int i = 2; i < 4; i++) {
            String key = keys.get(i);
            String conversation = alices.get(i);
            appends.add(() -> log.append(exactlyOnce(conversation, alice, "other body", claim(key, "changed"))));
        }
        int before = counting.transactions();
        List<AppendOutcome> outcomes = whileTheSlotIsBusy(log, group, counting, alice, appends);

        assertThat(counting.transactions() - before - 1).as("transactions shared").isLessThan(appends.size());
        assertThat(outcomes.subList(0, 6)).allSatisfy(o -> assertThat(o).isInstanceOf(AppendOutcome.Committed.class));
        assertThat(outcomes.subList(6, 16)).allSatisfy(o -> assertThat(o).isInstanceOf(AppendOutcome.NotMember.class));
        assertThat(outcomes.subList(16, 18)).allSatisfy(o -> assertThat(o).isInstanceOf(AppendOutcome.Replayed.class));
        assertThat(outcomes.subList(18, 20)).allSatisfy(o -> assertThat(o).isInstanceOf(AppendOutcome.KeyReused.class));
        StoredState stored = new StoredState(dynamoDb);
        for (String conversation : alices) {
            assertThat(stored.seqs(conversation)).as("seqs of " + conversation).containsExactly(1L);
        }
        for (String conversation : bobs) {
            assertThat(stored.seqs(conversation)).isEmpty();
            assertThat(stored.lastSeq(conversation)).isZero();
        }
    }

    @Test
    void anAppendThatDynamoDbRefusesFailsAloneAndTheOthersCommit() throws Exception {
        String alice = newUser("alice");
        List<String> conversations = conversationsOf(alice, 13);
        CountingClient counting = new CountingClient(dynamoDb);
        GroupCommit group = OtherProcess.groupCommit(counting.client(), 1);
        MessageAppender log = OtherProcess.appender(counting.client(), tables, group, PATIENT,
                config.append().retryBudget());
        // Over DynamoDB's 400 KB per item: the whole transaction it is in is refused.
        String oversized = "x".repeat(450 * 1024);

        List<Callable<Object>> appends = new ArrayList<>();
        for (int i = 0; i < conversations.size(); i++) {
            String conversation = conversations.get(i);
            String body = i == 6 ? oversized : "fits";
            appends.add(() -> {
                try {
                    return log.append(atLeastOnce(conversation, alice, body));
                } catch (DynamoDbException refused) {
                    return refused;
                }
            });
        }
        List<Object> outcomes = whileTheSlotIsBusy(log, group, counting, alice, appends);

        StoredState stored = new StoredState(dynamoDb);
        for (int i = 0; i < conversations.size(); i++) {
            if (i == 6) {
                assertThat(outcomes.get(i)).isInstanceOf(DynamoDbException.class);
                assertThat(stored.seqs(conversations.get(i))).isEmpty();
            } else {
                assertThat(outcomes.get(i)).isInstanceOf(AppendOutcome.Committed.class);
                assertThat(stored.seqs(conversations.get(i))).containsExactly(1L);
            }
        }
        // The holder's, a refused shared one, then each of its appends alone.
        assertThat(counting.transactions()).as("transactions").isGreaterThan(1 + conversations.size());
    }

    @Test
    void whenTheStoreFailsEveryAppendOfTheSharedTransactionGetsThatFailureAtOnce() throws Exception {
        String alice = newUser("alice");
        List<String> conversations = conversationsOf(alice, 10);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // Reads reach DynamoDB Local; transactions go to a port where nothing listens.
        try (DynamoDbClient unreachable = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            CountingClient counting = new CountingClient(dynamoDb, unreachable);
            GroupCommit group = OtherProcess.groupCommit(counting.client(), 1);
            MessageAppender log = OtherProcess.appender(counting.client(), tables, group, PATIENT,
                    config.append().retryBudget());
            List<Callable<Object>> appends = new ArrayList<>();
            for (String conversation : conversations) {
                appends.add(() -> {
                    try {
                        return log.append(atLeastOnce(conversation, alice, "lost?"));
                    } catch (SdkClientException unreachableStore) {
                        return unreachableStore;
                    }
                });
            }
            List<Object> outcomes = whileTheSlotIsBusy(log, group, counting, alice, appends, SdkClientException.class);

            assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(SdkClientException.class));
            assertThat(counting.transactions()).as("the holder's and one shared, none again alone").isEqualTo(2);
        }
        assertNoMessages(conversations);
    }

    @Test
    void anAppendThatNoTransactionTakesBeforeItsDeadlineIsContendedWithNothingWritten() throws Exception {
        String alice = newUser("alice");
        List<String> conversations = conversationsOf(alice, 3);
        CountingClient counting = new CountingClient(dynamoDb);
        GroupCommit group = OtherProcess.groupCommit(counting.client(), 1);
        MessageAppender log = OtherProcess.appender(counting.client(), tables, group, Duration.ofMillis(200),
                config.append().retryBudget());

        List<Callable<AppendOutcome>> appends = new ArrayList<>();
        for (String conversation : conversations) {
            appends.add(() -> log.append(atLeastOnce(conversation, alice, "too late")));
        }
        // The slot is released only once every append has been answered: none can have been committed.
        List<AppendOutcome> outcomes = whileTheSlotIsBusy(log, group, counting, alice, appends, null,
                futures -> futures.stream().allMatch(Future::isDone));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(AppendOutcome.Contended.class));
        assertThat(counting.transactions()).as("only the holder's").isEqualTo(1);
        assertNoMessages(conversations);
        assertThat(log.append(atLeastOnce(conversations.getFirst(), alice, "in time")))
                .isInstanceOf(AppendOutcome.Committed.class);
    }

    @Test
    void theAppsMetricsSayHowManyAppendsEachTransactionCarried() throws Exception {
        // Every append of the JVM counts, so this test's are the only ones while it runs.
        String alice = newUser("alice");
        List<String> conversations = conversationsOf(alice, 20);
        double appendsBefore = Api.metric("relay_dynamodb_appends_per_transaction_sum");
        double transactionsBefore = Api.metric("relay_dynamodb_appends_per_transaction_count");

        List<Callable<Integer>> sends = new ArrayList<>();
        for (String conversation : conversations) {
            sends.add(() -> Api.send(alice, conversation, "counted").statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : threads.invokeAll(sends)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).containsOnly(201).hasSize(20);
        assertThat(Api.metric("relay_dynamodb_appends_per_transaction_sum") - appendsBefore).isEqualTo(20);
        assertThat(Api.metric("relay_dynamodb_appends_per_transaction_count") - transactionsBefore).isBetween(1.0, 20.0);
    }

    private void assertNoMessages(List<String> conversations) {
        StoredState stored = new StoredState(dynamoDb);
        for (String conversation : conversations) {
            assertThat(stored.seqs(conversation)).as("seqs of " + conversation).isEmpty();
        }
    }

    /** {@code count} new conversations with {@code creator} as their one member. */
    private static List<String> conversationsOf(String creator, int count) {
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            conversations.add(createConversation(creator));
        }
        return conversations;
    }

    private static IdempotencyClaim claim(String key, String fingerprint) {
        return new IdempotencyClaim(key, fingerprint, Instant.now().plus(25, ChronoUnit.HOURS));
    }

    /**
     * Runs each task on its own virtual thread while the log's only transaction slot is held by an
     * append of alice's to a conversation of her own, whose transaction is let through only once
     * every task's append waits in the log's queue; results in task order.
     */
    private <T> List<T> whileTheSlotIsBusy(MessageAppender log, GroupCommit group, CountingClient counting, String alice,
                                           List<Callable<T>> tasks) throws Exception {
        return whileTheSlotIsBusy(log, group, counting, alice, tasks, null);
    }

    /** As above; the holder's append fails with {@code holderFailure} when given. */
    private <T> List<T> whileTheSlotIsBusy(MessageAppender log, GroupCommit group, CountingClient counting, String alice,
                                           List<Callable<T>> tasks, Class<? extends Exception> holderFailure)
            throws Exception {
        return whileTheSlotIsBusy(log, group, counting, alice, tasks, holderFailure,
                futures -> group.waiting() == tasks.size());
    }

    /** As above; the slot is released once {@code released} holds for the tasks' futures. */
    private <T> List<T> whileTheSlotIsBusy(MessageAppender log, GroupCommit group, CountingClient counting, String alice,
                                           List<Callable<T>> tasks, Class<? extends Exception> holderFailure,
                                           Predicate<List<Future<T>>> released) throws Exception {
        String holding = createConversation(alice);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch release = counting.holdNextTransaction();
            Future<Object> holder = threads.submit(() -> {
                try {
                    return log.append(atLeastOnce(holding, alice, "holds the slot"));
                } catch (RuntimeException e) {
                    return e;
                }
            });
            counting.awaitHeld();
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(threads.submit(task));
            }
            try {
                await("the tasks reach the state the test releases the slot in").atMost(SETTLE)
                        .until(() -> released.test(futures));
            } catch (ConditionTimeoutException notReached) {
                throw new AssertionError(notReached.getMessage() + " (" + group.waiting() + " of " + tasks.size()
                        + " waiting, " + futures.stream().filter(Future::isDone).count() + " answered)", notReached);
            } finally {
                release.countDown();
            }
            assertThat(holder.get()).isInstanceOf(holderFailure == null ? AppendOutcome.Committed.class : holderFailure);
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    /**
     * The test's DynamoDB client: counts the TransactWriteItems calls made through it, and can hold
     * the next one back until released.
     */
    private static final class CountingClient {
        private final DynamoDbClient client;
        private final AtomicInteger transactions = new AtomicInteger();
        private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
        private final CountDownLatch held = new CountDownLatch(1);

        CountingClient(DynamoDbClient real) {
            this(real, real);
        }

        /** Transactions go to {@code transactionsTo}, everything else to {@code real}. */
        CountingClient(DynamoDbClient real, DynamoDbClient transactionsTo) {
            this.client = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                    new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                        boolean transaction = method.getName().equals("transactWriteItems");
                        if (transaction) {
                            transactions.incrementAndGet();
                            CountDownLatch release = hold.getAndSet(null);
                            if (release != null) {
                                held.countDown();
                                release.await();
                            }
                        }
                        try {
                            return method.invoke(transaction ? transactionsTo : real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        CountDownLatch holdNextTransaction() {
            CountDownLatch release = new CountDownLatch(1);
            hold.set(release);
            return release;
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(10, TimeUnit.SECONDS)).as("the held transaction started").isTrue();
        }

        DynamoDbClient client() {
            return client;
        }

        int transactions() {
            return transactions.get();
        }
    }
}
