package dev.relay.sync.read;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Independent blocking store calls of one request, run on virtual threads with at most
 * {@code concurrency} in flight. {@link #close()} waits for every task, so nothing outlives the
 * request; {@link #join} rethrows a task's own failure (a store error stays a store error).
 */
final class Fork implements AutoCloseable {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore permits;

    Fork(int concurrency) {
        this.permits = new Semaphore(Math.max(1, concurrency));
    }

    <T> Future<T> submit(Callable<T> task) {
        return executor.submit(() -> {
            permits.acquire();
            try {
                return task.call();
            } finally {
                permits.release();
            }
        });
    }

    static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        executor.close();
    }
}
