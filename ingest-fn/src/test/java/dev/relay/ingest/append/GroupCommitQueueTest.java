package dev.relay.ingest.append;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The group commit's queue against a stub of the one method it calls ({@link TransactionRunner#run}):
 * which requests share a transaction, what each learns, and what never reaches the runner. No servers.
 */
class GroupCommitQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long FAR = TimeUnit.MINUTES.toNanos(5);

    private final StubRunner runner = new StubRunner();

    @Test
    void anIdleGroupSendsARequestAloneAndAtOnce() {
        GroupCommit group = group(2);

        assertThat(group.run(request("a", 4), deadlineIn(FAR))).isInstanceOf(CommitOutcome.Committed.class);

        assertThat(runner.transactions()).containsExactly(List.of("a"));
    }

    @Test
    void requestsThatArriveWhileTheCommitterIsBusyShareTheNextTransaction() throws Exception {
        GroupCommit group = group(1);
        List<CommitOutcome> outcomes = whileTheCommitterIsBusy(group, names("r", 10), name -> request(name, 4));

        assertThat(outcomes).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOf(CommitOutcome.Committed.class));
        assertThat(runner.transactions()).containsExactly(List.of("holder"), names("r", 10));
    }

    @Test
    void aTransactionCarriesAtMostTwentyFiveRequests() throws Exception {
        GroupCommit group = group(1);
        whileTheCommitterIsBusy(group, names("r", 30), name -> request(name, 3));

        assertThat(runner.transactions()).containsExactly(List.of("holder"), names("r", 30).subList(0, 25),
                names("r", 30).subList(25, 30));
    }

    @Test
    void aTransactionCarriesAtMostOneHundredItems() throws Exception {
        GroupCommit group = group(1);
        whileTheCommitterIsBusy(group, names("r", 5), name -> request(name, 40));

        assertThat(runner.transactions()).containsExactly(List.of("holder"), List.of("r0", "r1"), List.of("r2", "r3"),
                List.of("r4"));
        assertThat(runner.items()).allSatisfy(items -> assertThat(items).isLessThanOrEqualTo(100));
    }

    @Test
    void aTransactionCarriesAtMostTwoMegabytesOfEstimatedPayload() throws Exception {
        GroupCommit group = group(1);
        long nineTenthsOfAMegabyte = 9L * 1024 * 1024 / 10;
        whileTheCommitterIsBusy(group, names("r", 5),
                name -> new TransactionRequest(items(name, 4), Set.of(name), nineTenthsOfAMegabyte));

        assertThat(runner.transactions()).containsExactly(List.of("holder"), List.of("r0", "r1"), List.of("r2", "r3"),
                List.of("r4"));
    }

    @Test
    void requestsThatTouchTheSameItemNeverShareATransaction() throws Exception {
        GroupCommit group = group(1);
        whileTheCommitterIsBusy(group, List.of("a", "b", "c"),
                name -> new TransactionRequest(items(name, 4), Set.of(name.equals("c") ? "other" : "same"), 100));

        assertThat(runner.transactions()).containsExactly(List.of("holder"), List.of("a", "c"), List.of("b"));
    }

    @Test
    void aRequestWhoseDeadlinePassesInTheQueueIsTimedOutAndNeverSent() throws Exception {
        GroupCommit group = group(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch release = runner.holdNext();
            Future<CommitOutcome> holder = threads.submit(() -> group.run(request("holder", 4), deadlineIn(FAR)));
            runner.awaitHeld();

            CommitOutcome late = group.run(request("late", 4), deadlineIn(TimeUnit.MILLISECONDS.toNanos(50)));

            assertThat(late).isInstanceOf(CommitOutcome.TimedOut.class);
            assertThat(group.waiting()).as("taken out of the queue").isZero();
            release.countDown();
            assertThat(holder.get()).isInstanceOf(CommitOutcome.Committed.class);
        }
        assertThat(group.run(request("after", 4), deadlineIn(FAR))).isInstanceOf(CommitOutcome.Committed.class);
        assertThat(runner.transactions()).containsExactly(List.of("holder"), List.of("after"));
    }

    @Test
    void oneRequestsCancellationReRunsTheOthersEachAlone() throws Exception {
        runner.cancelWhenContains("r2");
        GroupCommit group = group(1);

        List<CommitOutcome> outcomes = whileTheCommitterIsBusy(group, names("r", 4), name -> request(name, 4));

        assertThat(outcomes.get(2)).isInstanceOfSatisfying(CommitOutcome.Cancelled.class, cancelled -> {
            assertThat(cancelled.reasons()).hasSize(4);
            assertThat(cancelled.failed(1)).as("its own failed condition").isTrue();
        });
        for (int i : List.of(0, 1, 3)) {
            assertThat(outcomes.get(i)).isInstanceOf(CommitOutcome.Committed.class);
        }
        assertThat(runner.transactions()).containsExactly(List.of("holder"), names("r", 4), List.of("r0"), List.of("r1"),
                List.of("r3"));
        assertThat(reruns.count()).as("appends sent again alone").isEqualTo(3);
    }

    @Test
    void aCancellationWhoseReasonsDoNotLineUpReRunsEveryRequestAlone() throws Exception {
        runner.cancelWithReasons(List.of(reason("ConditionalCheckFailed")));
        GroupCommit group = group(1);

        List<CommitOutcome> outcomes = whileTheCommitterIsBusy(group, names("r", 3), name -> request(name, 4));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(CommitOutcome.Cancelled.class));
        assertThat(runner.transactions()).containsExactly(List.of("holder"), names("r", 3), List.of("r0"), List.of("r1"),
                List.of("r2"));
    }

    @Test
    void aRefusedSharedTransactionReRunsEachRequestAloneAndOnlyTheCulpritFails() throws Exception {
        runner.refuseWhenContains("r1");
        GroupCommit group = group(1);

        List<Object> outcomes = whileTheCommitterIsBusy(group, names("r", 3), name -> request(name, 4),
                DynamoDbException.class);

        assertThat(outcomes.get(1)).isInstanceOf(DynamoDbException.class);
        assertThat(outcomes.get(0)).isInstanceOf(CommitOutcome.Committed.class);
        assertThat(outcomes.get(2)).isInstanceOf(CommitOutcome.Committed.class);
        assertThat(runner.transactions()).containsExactly(List.of("holder"), names("r", 3), List.of("r0"), List.of("r1"),
                List.of("r2"));
    }

    @Test
    void aStoreFailureReachesEveryRequestOfTheTransactionAtOnce() throws Exception {
        runner.failWhenContains("r0");
        GroupCommit group = group(1);

        List<Object> outcomes = whileTheCommitterIsBusy(group, names("r", 5), name -> request(name, 4),
                SdkClientException.class);

        assertThat(outcomes).hasSize(5).allSatisfy(o -> assertThat(o).isInstanceOf(SdkClientException.class));
        assertThat(outcomes).as("the one failure, not a copy each").containsOnly(outcomes.getFirst());
        assertThat(runner.transactions()).as("none again alone").containsExactly(List.of("holder"), names("r", 5));
        assertThat(reruns.count()).isZero();
    }

    @Test
    void atMostTheConfiguredCommittersRunTransactionsAtOnce() throws Exception {
        GroupCommit group = group(2);
        CountDownLatch twoRunning = runner.holdEvery(2);
        List<GroupCommit.Queued> queued = new ArrayList<>();
        for (String name : names("r", 12)) {
            // Each request touches the same item, so each goes alone: only the committers bound how many run at once.
            queued.add(group.enqueue(new TransactionRequest(items(name, 4), Set.of("same"), 100), deadlineIn(FAR)));
        }
        assertThat(twoRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("two transactions running").isTrue();
        assertThat(group.waiting()).as("the others queued").isEqualTo(10);
        assertThat(runner.running()).isEqualTo(2);
        runner.releaseAll();
        for (GroupCommit.Queued one : queued) {
            assertThat(group.await(one)).isInstanceOf(CommitOutcome.Committed.class);
        }
        assertThat(runner.mostRunning()).isEqualTo(2);
        assertThat(runner.transactions()).hasSize(12).allSatisfy(t -> assertThat(t).hasSize(1));
    }

    @Test
    void eachTransactionRecordsHowManyRequestsItCarried() throws Exception {
        DistributionSummary summary = DistributionSummary.builder("appends").register(registry);
        GroupCommit group = new GroupCommit(runner, 1, summary, reruns);

        whileTheCommitterIsBusy(group, names("r", 7), name -> request(name, 4));

        assertThat(summary.count()).isEqualTo(2);
        assertThat(summary.totalAmount()).isEqualTo(8);
        assertThat(summary.max()).isEqualTo(7);
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Counter reruns = Counter.builder("reruns").register(registry);

    private GroupCommit group(int committers) {
        return new GroupCommit(runner, committers, DistributionSummary.builder("appends").register(registry), reruns);
    }

    private <T> List<T> whileTheCommitterIsBusy(GroupCommit group, List<String> names,
                                                Function<String, TransactionRequest> request) throws Exception {
        return whileTheCommitterIsBusy(group, names, request, null);
    }

    /**
     * Queues one request per name while the only committer is busy with a held "holder" request,
     * releases it once they all wait, and returns what each came to, in name order (a request's
     * failure of type {@code failure} as its result).
     */
    @SuppressWarnings("unchecked")
    private <T> List<T> whileTheCommitterIsBusy(GroupCommit group, List<String> names,
                                                Function<String, TransactionRequest> request,
                                                Class<? extends RuntimeException> failure) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch release = runner.holdNext();
            Future<CommitOutcome> holder = threads.submit(() -> group.run(request("holder", 4), deadlineIn(FAR)));
            runner.awaitHeld();
            List<GroupCommit.Queued> queued = new ArrayList<>();
            for (String name : names) {
                queued.add(group.enqueue(request.apply(name), deadlineIn(FAR)));
            }
            assertThat(group.waiting()).as("queued behind the busy committer").isEqualTo(names.size());
            release.countDown();
            assertThat(holder.get()).isInstanceOf(CommitOutcome.Committed.class);
            List<T> results = new ArrayList<>();
            for (GroupCommit.Queued one : queued) {
                try {
                    results.add((T) group.await(one));
                } catch (RuntimeException e) {
                    if (failure == null || !failure.isInstance(e)) {
                        throw e;
                    }
                    results.add((T) e);
                }
            }
            return results;
        }
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private static long deadlineIn(long nanos) {
        return System.nanoTime() + nanos;
    }

    /** A request of {@code count} items, each a put into a table named after the request; it touches its own key. */
    private static TransactionRequest request(String name, int count) {
        return new TransactionRequest(items(name, count), Set.of(name), 100);
    }

    private static List<TransactWriteItem> items(String name, int count) {
        return Collections.nCopies(count, TransactWriteItem.builder().put(Put.builder().tableName(name).build()).build());
    }

    private static CancellationReason reason(String code) {
        return CancellationReason.builder().code(code).build();
    }

    /**
     * The stub of the one method group commit calls: records each transaction's requests (by table
     * name, in order), can hold transactions until released, and fails those that contain a named request.
     */
    private static final class StubRunner implements TransactionRunner {
        private final List<List<String>> transactions = Collections.synchronizedList(new ArrayList<>());
        private final List<Integer> items = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger mostRunning = new AtomicInteger();
        private final CountDownLatch held = new CountDownLatch(1);
        private volatile CountDownLatch holdNext;
        private volatile CountDownLatch holdEvery;
        private volatile CountDownLatch started;
        private final SdkClientException failure = SdkClientException.create("unreachable");
        private volatile String cancelling;
        private volatile List<CancellationReason> cancelReasons;
        private volatile String refusing;
        private volatile String failing;

        @Override
        public CommitOutcome run(TransactionRequest request, long deadline) {
            List<String> names = request.items().stream().map(item -> item.put().tableName()).distinct().toList();
            transactions.add(names);
            items.add(request.items().size());
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                awaitRelease();
                if (names.contains("holder")) {
                    return new CommitOutcome.Committed();
                }
                if (cancelReasons != null) {
                    return new CommitOutcome.Cancelled(names.size() > 1 ? cancelReasons
                            : List.of(reason("ConditionalCheckFailed")));
                }
                if (cancelling != null && names.contains(cancelling)) {
                    return new CommitOutcome.Cancelled(reasonsFailingSecondItemOf(request, cancelling));
                }
                if (refusing != null && names.contains(refusing)) {
                    throw DynamoDbException.builder().message("item too large")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).build();
                }
                if (failing != null && names.contains(failing)) {
                    throw failure;
                }
                return new CommitOutcome.Committed();
            } finally {
                running.decrementAndGet();
            }
        }

        /** Reasons aligned with the items: "None" for each, but the culprit's second item failed its condition. */
        private static List<CancellationReason> reasonsFailingSecondItemOf(TransactionRequest request, String culprit) {
            List<CancellationReason> reasons = new ArrayList<>();
            int culpritItems = 0;
            for (TransactWriteItem item : request.items()) {
                boolean own = item.put().tableName().equals(culprit);
                reasons.add(reason(own && culpritItems++ == 1 ? "ConditionalCheckFailed" : "None"));
            }
            return reasons;
        }

        private void awaitRelease() {
            CountDownLatch release = holdNext;
            if (release != null) {
                holdNext = null;
                held.countDown();
            } else {
                release = holdEvery;
                if (release != null) {
                    started.countDown();
                }
            }
            if (release != null) {
                try {
                    assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("released").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        CountDownLatch holdNext() {
            CountDownLatch release = new CountDownLatch(1);
            holdNext = release;
            return release;
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the held transaction started").isTrue();
        }

        /** Holds every transaction from now on; the latch opens once {@code count} of them are held. */
        CountDownLatch holdEvery(int count) {
            started = new CountDownLatch(count);
            holdEvery = new CountDownLatch(1);
            return started;
        }

        void releaseAll() {
            holdEvery.countDown();
        }

        void cancelWhenContains(String name) {
            cancelling = name;
        }

        void cancelWithReasons(List<CancellationReason> reasons) {
            cancelReasons = reasons;
        }

        void refuseWhenContains(String name) {
            refusing = name;
        }

        void failWhenContains(String name) {
            failing = name;
        }

        List<List<String>> transactions() {
            return List.copyOf(transactions);
        }

        List<Integer> items() {
            return List.copyOf(items);
        }

        int running() {
            return running.get();
        }

        int mostRunning() {
            return mostRunning.get();
        }
    }
}
