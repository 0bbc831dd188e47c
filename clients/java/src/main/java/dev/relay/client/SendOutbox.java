package dev.relay.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The offline send queue: sends one at a time, in the order they were queued, each only once
 * {@code online} completes. A retryable failure (network, 409, 429, 503, …) waits the server's
 * Retry-After, or a full-jitter back-off when it gave none, and repeats the same attempt. The
 * attempt carries the same Idempotency-Key every time, so however many tries it takes the server
 * stores it once. All state is touched on {@code executor} (one thread) only.
 */
final class SendOutbox {

    private static final class Entry<T> {
        final Supplier<CompletableFuture<T>> attempt;
        final CompletableFuture<T> result = new CompletableFuture<>();
        int tries;

        Entry(Supplier<CompletableFuture<T>> attempt) {
            this.attempt = attempt;
        }
    }

    private final ScheduledExecutorService executor;
    private final Supplier<CompletableFuture<Void>> online;
    private final Backoff backoff;
    private final int maxAttempts;
    private final BiConsumer<RelayException, Duration> onRetry;
    private final Deque<Entry<?>> queue = new ArrayDeque<>();
    private boolean running;
    private RelayException closedWith;

    SendOutbox(ScheduledExecutorService executor, Supplier<CompletableFuture<Void>> online, Backoff backoff,
            int maxAttempts, BiConsumer<RelayException, Duration> onRetry) {
        this.executor = executor;
        this.online = online;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.onRetry = onRetry;
    }

    <T> CompletableFuture<T> enqueue(Supplier<CompletableFuture<T>> attempt) {
        Entry<T> entry = new Entry<>(attempt);
        run(() -> {
            if (closedWith != null) {
                entry.result.completeExceptionally(closedWith);
                return;
            }
            queue.add(entry);
            if (!running) {
                running = true;
                pump();
            }
        }, entry.result);
        return entry.result;
    }

    /** Fails everything still queued with {@code reason}; nothing more is sent. */
    void close(RelayException reason) {
        run(() -> {
            closedWith = reason;
            for (Entry<?> entry = queue.poll(); entry != null; entry = queue.poll()) {
                entry.result.completeExceptionally(reason);
            }
        }, new CompletableFuture<>());
    }

    private void pump() {
        Entry<?> head = queue.peek();
        if (head == null || closedWith != null) {
            running = false;
            return;
        }
        whenOnline(head);
    }

    private void whenOnline(Entry<?> entry) {
        online.get().thenRun(() -> run(() -> attempt(entry), entry.result));
    }

    private <T> void attempt(Entry<T> entry) {
        if (closedWith != null) {
            return;
        }
        entry.tries++;
        CompletableFuture<T> sent;
        try {
            sent = entry.attempt.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((value, failure) -> run(() -> settle(entry, value, failure), entry.result));
    }

    private <T> void settle(Entry<T> entry, T value, Throwable failure) {
        if (closedWith != null) {
            return;
        }
        if (failure == null) {
            backoff.reset();
            queue.poll();
            entry.result.complete(value);
            pump();
            return;
        }
        Throwable cause = RelayHttpClient.unwrap(failure);
        if (!(cause instanceof RelayException problem) || !problem.retryable() || entry.tries >= maxAttempts) {
            queue.poll();
            entry.result.completeExceptionally(cause);
            pump();
            return;
        }
        Duration delay = problem.retryAfter().orElseGet(backoff::next);
        onRetry.accept(problem, delay);
        try {
            executor.schedule(() -> whenOnline(entry), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            entry.result.completeExceptionally(RelayException.local("closed", "client closed"));
        }
    }

    /** Runs on the executor; when it is already shut down, {@code result} fails instead. */
    private void run(Runnable task, CompletableFuture<?> result) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(RelayException.local("closed", "client closed"));
        }
    }
}
