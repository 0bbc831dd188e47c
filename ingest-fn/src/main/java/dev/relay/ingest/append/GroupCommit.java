package dev.relay.ingest.append;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Group commit (docs/decisions/0001), on when {@code relay.ingest.append.group-commit.enabled}:
 * requests queue, each with a future, and at most {@code committers} committers drain the queue,
 * each running one transaction at a time through the runner it decorates. Requests that arrive
 * while every committer is busy go together in the next transaction; an idle process sends each
 * request alone and at once.
 *
 * <p>Invariants: no transaction holds two requests that touch the same item (their
 * {@link TransactionRequest#keys()} are disjoint), nor more than {@link #MAX_REQUESTS} requests,
 * {@link TransactionRequest#MAX_ITEMS} items or {@link #MAX_BYTES} of estimated payload (DynamoDB's
 * limits are 100 items and 4 MB). A request learns the fate of its own items only: when a shared
 * transaction is cancelled by another request's condition, or refused as a request, the innocent
 * ones go again, each alone, at the head of the queue. When the store itself fails (unreachable,
 * throttled), every request of the transaction gets that failure at once: alone they would fail the
 * same way, one after the other. A request whose deadline passes while it is queued is taken out of
 * the queue and answered {@link CommitOutcome.TimedOut}; no transaction takes it later.
 */
public final class GroupCommit implements TransactionRunner {

    /** 25 appends of four items fill DynamoDB's 100 items. */
    static final int MAX_REQUESTS = 25;
    /** Well below DynamoDB's 4 MB per transaction, so estimates may be rough. */
    static final long MAX_BYTES = 2L * 1024 * 1024;
    /** How far down the queue a batch looks for requests that fit, so a long queue costs bounded time under the lock. */
    private static final int MAX_SCAN = 4 * TransactionRequest.MAX_ITEMS;

    private final TransactionRunner runner;
    private final int committers;
    private final DistributionSummary requestsPerTransaction;
    private final Counter reruns;
    private final ThreadFactory threads = Thread.ofVirtual().name("group-commit-", 0).factory();
    private final ReentrantLock lock = new ReentrantLock();
    /** Requests no transaction has taken yet, oldest first; guarded by {@link #lock}. */
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** Committers draining the queue, at most {@link #committers}; guarded by {@link #lock}. */
    private int draining;

    /**
     * @param runner                 runs each transaction (the core sends it at once)
     * @param committers             transactions in flight at once, at least 1
     * @param requestsPerTransaction records how many requests each transaction carried
     * @param reruns                 counts requests sent again alone because a shared transaction failed for another
     */
    public GroupCommit(TransactionRunner runner, int committers, DistributionSummary requestsPerTransaction,
                       Counter reruns) {
        if (committers < 1) {
            throw new IllegalArgumentException("committers must be at least 1");
        }
        this.runner = runner;
        this.committers = committers;
        this.requestsPerTransaction = requestsPerTransaction;
        this.reruns = reruns;
    }

    @Override
    public CommitOutcome run(TransactionRequest request, long deadline) {
        return await(enqueue(request, deadline));
    }

    /** Queues {@code request} for a committer to take by {@code deadline}; {@link #await} answers it. */
    Queued enqueue(TransactionRequest request, long deadline) {
        Queued queued = new Queued(request, deadline);
        lock.lock();
        try {
            queue.addLast(queued);
            startCommitterIfAllowed();
        } finally {
            lock.unlock();
        }
        return queued;
    }

    /** Requests waiting for a transaction to take them (not those already in one). */
    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What {@code queued} came to: waits until its deadline for a transaction to take it, then takes it
     * out of the queue ({@link CommitOutcome.TimedOut}), unless a transaction has it already.
     */
    CommitOutcome await(Queued queued) {
        boolean interrupted = false;
        try {
            try {
                return queued.result.get(Math.max(0, queued.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException late) {
                // fall through: withdraw it, unless a transaction has taken it
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (withdraw(queued)) {
                return new CommitOutcome.TimedOut();
            }
            // In a transaction already: settled within the SDK's call timeouts.
            while (true) {
                try {
                    return queued.result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException store ? store : new IllegalStateException(failed.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes {@code queued} out of the queue if no transaction has taken it; true when it was there. */
    private boolean withdraw(Queued queued) {
        lock.lock();
        try {
            return queue.remove(queued);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. */
    private void startCommitterIfAllowed() {
        if (draining < committers && !queue.isEmpty()) {
            draining++;
            threads.newThread(this::drain).start();
        }
    }

    /** One committer: takes batches until the queue is empty. */
    private void drain() {
        while (true) {
            List<Queued> batch;
            lock.lock();
            try {
                batch = nextBatch();
                if (batch.isEmpty()) {
                    draining--;
                    return;
                }
                // More queued than this batch took: another committer may run them meanwhile.
                startCommitterIfAllowed();
            } finally {
                lock.unlock();
            }
            commit(batch);
        }
    }

    /** The longest-waiting requests that fit together; a request that must go alone goes only at the head. Under the lock. */
    private List<Queued> nextBatch() {
        List<Queued> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int items = 0;
        long bytes = 0;
        int scanned = 0;
        for (Iterator<Queued> it = queue.iterator(); it.hasNext() && scanned < MAX_SCAN; scanned++) {
            Queued next = it.next();
            TransactionRequest request = next.request;
            boolean fits = batch.isEmpty() || (!next.alone && !batch.getFirst().alone
                    && items + request.items().size() <= TransactionRequest.MAX_ITEMS
                    && bytes + request.bytes() <= MAX_BYTES
                    && request.keys().stream().noneMatch(keys::contains));
            if (fits) {
                it.remove();
                batch.add(next);
                keys.addAll(request.keys());
                items += request.items().size();
                bytes += request.bytes();
            }
            if (batch.size() >= MAX_REQUESTS || items >= TransactionRequest.MAX_ITEMS || batch.getFirst().alone) {
                break;
            }
        }
        return batch;
    }

    /** One transaction for the batch; completes each request's future, or queues it again to go alone. */
    private void commit(List<Queued> batch) {
        requestsPerTransaction.record(batch.size());
        CommitOutcome outcome;
        try {
            TransactionRequest transaction = batch.size() == 1 ? batch.getFirst().request
                    : TransactionRequest.together(batch.stream().map(queued -> queued.request).toList());
            outcome = runner.run(transaction, latestDeadline(batch));
        } catch (RuntimeException e) {
            if (batch.size() > 1 && refusedRequest(e)) {
                again(batch);
            } else {
                // The store failed, not a request (unreachable, throttled, internal error): alone would fail the same.
                batch.forEach(queued -> queued.result.completeExceptionally(e));
            }
            return;
        }
        if (batch.size() == 1 || !(outcome instanceof CommitOutcome.Cancelled cancelled)) {
            batch.forEach(queued -> queued.result.complete(outcome));
            return;
        }
        List<CancellationReason> reasons = cancelled.reasons();
        if (reasons.size() != batch.stream().mapToInt(queued -> queued.request.items().size()).sum()) {
            again(batch);
            return;
        }
        List<Queued> innocent = new ArrayList<>();
        int from = 0;
        for (Queued queued : batch) {
            int to = from + queued.request.items().size();
            List<CancellationReason> own = List.copyOf(reasons.subList(from, to));
            if (own.stream().anyMatch(reason -> reason.code() != null && !"None".equals(reason.code()))) {
                queued.result.complete(new CommitOutcome.Cancelled(own));
            } else {
                innocent.add(queued);
            }
            from = to;
        }
        again(innocent);
    }

    /** Taken requests are sent whatever their deadline: the latest one of the batch stands for all. */
    private static long latestDeadline(List<Queued> batch) {
        long latest = batch.getFirst().deadline;
        for (Queued queued : batch) {
            if (queued.deadline - latest > 0) {
                latest = queued.deadline;
            }
        }
        return latest;
    }

    /** DynamoDB refused the request itself (an item too large, say), which may be one request's doing. */
    private static boolean refusedRequest(RuntimeException e) {
        return e instanceof DynamoDbException refused && refused.awsErrorDetails() != null
                && "ValidationException".equals(refused.awsErrorDetails().errorCode());
    }

    /**
     * Requests of a failed shared transaction go first again, in their order, each alone; one whose
     * deadline has passed meanwhile is answered timed out instead (nothing of it was written).
     */
    private void again(List<Queued> requests) {
        long now = System.nanoTime();
        lock.lock();
        try {
            for (int i = requests.size() - 1; i >= 0; i--) {
                Queued queued = requests.get(i);
                if (queued.deadline - now <= 0) {
                    queued.result.complete(new CommitOutcome.TimedOut());
                } else {
                    queued.alone = true;
                    queue.addFirst(queued);
                    reruns.increment();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One request, its deadline and its answer; {@code alone} guarded by the lock while queued. */
    static final class Queued {
        final TransactionRequest request;
        final long deadline;
        final CompletableFuture<CommitOutcome> result = new CompletableFuture<>();
        boolean alone;

        Queued(TransactionRequest request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }
    }
}
