package dev.relay.ingest.append;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Commits appends with at most {@code maxConcurrent} {@code TransactWriteItems} in flight; appends
 * that arrive while all are busy wait and then go together in the next one (group commit). A
 * transaction is all-or-nothing, so every append in it keeps its own guarantees; an idle process
 * sends each append alone and at once, and sharing only starts when appends would otherwise queue.
 *
 * <p>Invariants: no transaction holds two appends that touch the same item (their {@link Append#items()
 * keys} are disjoint), nor more than {@link #MAX_ITEMS} items or {@link #MAX_BYTES} of estimated
 * payload (DynamoDB's limits are 100 items and 4 MB). An append learns the fate of its own items
 * only: when a shared transaction is cancelled by another append's condition, or refused as a
 * request, the innocent appends are committed again alone, so one bad append never decides the
 * answer of another. When the store itself fails (unreachable, throttled), every append in the
 * transaction gets that failure at once: alone they would fail the same way, one slot at a time.
 *
 * <p>Waiting appends are committed by the threads that wait for them: whoever finds a free slot
 * takes the longest-waiting appends that fit, so no extra thread is needed and none is parked on an
 * empty queue.
 */
final class GroupCommit {

    /** DynamoDB allows 100 operations per transaction. */
    static final int MAX_ITEMS = 100;
    /** Well below DynamoDB's 4 MB per transaction, so estimates may be rough. */
    static final long MAX_BYTES = 2L * 1024 * 1024;
    /** How far down the queue a batch looks for appends that fit, so a long queue costs bounded time under the lock. */
    private static final int MAX_SCAN = 4 * MAX_ITEMS;

    /** Appends per transaction run, retried ones included: {@code relay_dynamodb_appends_per_transaction}. */
    private static final DistributionSummary APPENDS = DistributionSummary.builder("relay.dynamodb.appends.per.transaction")
            .description("Appends committed together in one TransactWriteItems (group commit)")
            .register(Metrics.globalRegistry);

    private final DynamoDbClient dynamoDb;
    private final int maxConcurrent;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int inFlight;

    GroupCommit(DynamoDbClient dynamoDb, int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        this.dynamoDb = dynamoDb;
        this.maxConcurrent = maxConcurrent;
    }

    /** Appends waiting for a transaction to take them (not those already in one). */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** The items of one append, the keys of the items it touches, and an estimate of their size in bytes. */
    record Append(List<TransactWriteItem> items, Set<String> keys, long bytes) {
        Append {
            if (items.isEmpty() || items.size() > MAX_ITEMS) {
                throw new IllegalArgumentException("an append has 1 to " + MAX_ITEMS + " items");
            }
        }
    }

    /** How an append's items fared. */
    sealed interface Outcome {
        record Committed() implements Outcome {
        }

        /** The transaction was cancelled for a reason in this append's own items (aligned with them). */
        record Cancelled(List<CancellationReason> reasons) implements Outcome {
        }

        /** The deadline passed before a transaction took the append: nothing of it was sent. */
        record TimedOut() implements Outcome {
        }
    }

    /**
     * Commits {@code append}'s items, alone or with other appends', and says how its own items fared;
     * gives up if no transaction has taken them by {@code deadline} ({@link System#nanoTime()}).
     *
     * @throws RuntimeException what DynamoDB threw for this append alone, or for its whole transaction when the store failed
     */
    Outcome commit(Append append, long deadline) {
        Waiter waiter = new Waiter(append, lock.newCondition());
        lock.lock();
        try {
            waiting.addLast(waiter);
            waiter.queued = true;
            while (!waiter.settled()) {
                if (inFlight < maxConcurrent && !waiting.isEmpty()) {
                    List<Waiter> batch = nextBatch();
                    inFlight++;
                    waiter.running = true;
                    wakeNextIfSlotFree();
                    lock.unlock();
                    try {
                        run(batch);
                    } finally {
                        lock.lock();
                        waiter.running = false;
                        inFlight--;
                        requeueUnsettled(batch);
                        batch.forEach(done -> done.changed.signal());
                        wakeNextIfSlotFree();
                    }
                } else if (waiter.queued) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !awaitQuietly(waiter, left)) {
                        waiting.remove(waiter);
                        waiter.queued = false;
                        return new Outcome.TimedOut();
                    }
                } else {
                    // In another thread's transaction: settled within the SDK's call timeouts.
                    waiter.changed.awaitUninterruptibly();
                }
            }
        } finally {
            if (waiter.queued) {
                // Leaving with an error: nobody would answer this append if another thread committed it later.
                waiting.remove(waiter);
                waiter.queued = false;
                wakeNextIfSlotFree();
            }
            lock.unlock();
        }
        if (waiter.failure != null) {
            throw waiter.failure;
        }
        return waiter.outcome;
    }

    /**
     * While a slot is free, wakes the longest-waiting append whose thread is asleep, so it takes the
     * next batch; the others sleep on, each woken only when its own transaction has run or its turn
     * to take a batch comes. Threads running a batch are skipped (at most {@code maxConcurrent}): they
     * look for a slot themselves when they are done. Under the lock.
     */
    private void wakeNextIfSlotFree() {
        if (inFlight >= maxConcurrent) {
            return;
        }
        for (Waiter next : waiting) {
            if (!next.running) {
                next.changed.signal();
                return;
            }
        }
    }

    /** Waits for a change of {@code waiter}'s state at most {@code nanos}; false when interrupted (the interrupt is kept). */
    private boolean awaitQuietly(Waiter waiter, long nanos) {
        try {
            waiter.changed.awaitNanos(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The longest-waiting appends that fit together; an append that must go alone goes only at the head. */
    private List<Waiter> nextBatch() {
        List<Waiter> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int items = 0;
        long bytes = 0;
        int scanned = 0;
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext() && scanned < MAX_SCAN; scanned++) {
            Waiter next = it.next();
            Append append = next.append;
            boolean fits = batch.isEmpty() || (!next.alone && !batch.getFirst().alone
                    && items + append.items().size() <= MAX_ITEMS && bytes + append.bytes() <= MAX_BYTES
                    && append.keys().stream().noneMatch(keys::contains));
            if (fits) {
                it.remove();
                next.queued = false;
                batch.add(next);
                keys.addAll(append.keys());
                items += append.items().size();
                bytes += append.bytes();
            }
            if (items >= MAX_ITEMS || batch.getFirst().alone) {
                break;
            }
        }
        return batch;
    }

    /** One transaction for the batch; settles each waiter or marks it to go again alone. Called without the lock. */
    private void run(List<Waiter> batch) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (Waiter waiter : batch) {
            items.addAll(waiter.append.items());
        }
        APPENDS.record(batch.size());
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(items));
            batch.forEach(waiter -> waiter.outcome = new Outcome.Committed());
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (batch.size() == 1) {
                batch.getFirst().outcome = new Outcome.Cancelled(reasons);
                return;
            }
            if (reasons.size() != items.size()) {
                batch.forEach(waiter -> waiter.alone = true);
                return;
            }
            int from = 0;
            for (Waiter waiter : batch) {
                int to = from + waiter.append.items().size();
                List<CancellationReason> own = List.copyOf(reasons.subList(from, to));
                if (own.stream().anyMatch(reason -> reason.code() != null && !"None".equals(reason.code()))) {
                    waiter.outcome = new Outcome.Cancelled(own);
                } else {
                    waiter.alone = true;
                }
                from = to;
            }
        } catch (RuntimeException e) {
            if (batch.size() > 1 && refusedRequest(e)) {
                batch.forEach(waiter -> waiter.alone = true);
            } else {
                // The store failed, not a request (unreachable, throttled, internal error): alone would fail the same.
                batch.forEach(waiter -> waiter.failure = e);
            }
        }
    }

    /** DynamoDB refused the request itself (an item too large, say), which may be one append's doing. */
    private static boolean refusedRequest(RuntimeException e) {
        return e instanceof DynamoDbException refused && refused.awsErrorDetails() != null
                && "ValidationException".equals(refused.awsErrorDetails().errorCode());
    }

    /** Waiters of a failed shared transaction go first again, in their order, each alone. */
    private void requeueUnsettled(List<Waiter> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            Waiter waiter = batch.get(i);
            if (!waiter.settled()) {
                waiter.alone = true;
                waiting.addFirst(waiter);
                waiter.queued = true;
            }
        }
    }

    /** One append and, once its transaction has run, its outcome or failure; guarded by the lock once queued. */
    private static final class Waiter {
        final Append append;
        /** Signalled when its transaction has run, or when it heads the queue and a slot is free. */
        final Condition changed;
        /** In {@code waiting}, i.e. in no transaction yet. */
        boolean queued;
        /** Its thread is running a batch (of other appends, or with it) and not waiting for a signal. */
        boolean running;
        boolean alone;
        Outcome outcome;
        RuntimeException failure;

        Waiter(Append append, Condition changed) {
            this.append = append;
            this.changed = changed;
        }

        boolean settled() {
            return outcome != null || failure != null;
        }
    }
}
