package dev.relay.client;

import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.SyncRequest;
import dev.relay.contract.wire.SyncResponse;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;

/**
 * Merges live pushes with {@code POST /v1/sync} pages through a {@link CursorBook}, so each stored
 * message is shown once and in seq order per conversation, and acks what was shown.
 *
 * <p>One sync at a time; asking during one runs another after it. Pushes that arrive while a sync
 * runs are held and released after it, so a message is shown by whichever path brings it first and
 * dropped by the other. Everything here runs on {@code executor} (the client's one thread).
 */
final class DeliveryMerger {

    private final ScheduledExecutorService executor;
    private final RelayHttpClient http;
    private final URI syncUri;
    private final int syncLimit;
    private final CursorStore store;
    private final RelayListener listener;
    private final Backoff retry;
    /** Writes a cumulative ack on the current connection, if there is one that said hello. */
    private final ObjLongConsumer<String> ackSink;
    private final Set<String> pendingAcks = new LinkedHashSet<>();
    private CursorBook book;
    private CompletableFuture<Void> syncing;
    private boolean syncAgain;
    private boolean stopped;
    private volatile Map<String, Long> published = Map.of();

    DeliveryMerger(ScheduledExecutorService executor, RelayHttpClient http, URI syncUri, int syncLimit,
            CursorStore store, RelayListener listener, Backoff retry, ObjLongConsumer<String> ackSink) {
        this.executor = executor;
        this.http = http;
        this.syncUri = syncUri;
        this.syncLimit = syncLimit;
        this.store = store;
        this.listener = listener;
        this.retry = retry;
        this.ackSink = ackSink;
    }

    /** Loads the saved cursors; called once, before the first connection. */
    void start() {
        book = new CursorBook(store.load(), this::show, 10_000);
        published = book.snapshot();
    }

    boolean started() {
        return book != null;
    }

    /** The highest seq shown per conversation; safe from any thread. */
    Map<String, Long> cursors() {
        return published;
    }

    void stop() {
        stopped = true;
    }

    void onPush(Message message) {
        CursorBook.Outcome outcome = book.offer(message, Delivery.PUSH, syncing != null);
        if (outcome == CursorBook.Outcome.DUPLICATE) {
            // Acked again, so the edge stops re-sending what this device already has.
            ackSoon(message.conversationId());
        } else if (outcome == CursorBook.Outcome.HELD && syncing == null) {
            // seq > cursor + 1: seq order is commit order, so the missing ones are in the log.
            requestSync();
        }
    }

    /** Fetches everything above the cursors; completes when the run that covers this request ends. */
    CompletableFuture<Void> requestSync() {
        if (syncing != null) {
            syncAgain = true;
            return syncing;
        }
        CompletableFuture<Void> run = new CompletableFuture<>();
        syncing = run;
        round(run, 0);
        return run;
    }

    private void round(CompletableFuture<Void> run, int rounds) {
        syncAgain = false;
        Map<String, Long> before = book.snapshot();
        pages().whenCompleteAsync((ok, failure) -> {
            book.releaseAll();
            if (failure != null) {
                finish(run);
                listener.onError(RelayHttpClient.unwrap(failure));
                later(this::requestSync, retry.next().toMillis() + 100);
                run.completeExceptionally(RelayHttpClient.unwrap(failure));
                return;
            }
            retry.reset();
            // A held push n means n-1 is committed: one more round fetches it, unless a round got nowhere.
            if (book.hasGap() && (rounds == 0 || !before.equals(book.snapshot()))) {
                syncAgain = true;
            }
            if (syncAgain && !stopped) {
                round(run, rounds + 1);
                return;
            }
            finish(run);
            run.complete(null);
        }, executor);
    }

    private void finish(CompletableFuture<Void> run) {
        if (syncing == run) {
            syncing = null;
        }
        book.releaseAll();
        persist();
    }

    private CompletableFuture<Void> pages() {
        Map<String, Long> cursors = book.snapshot();
        return http.call("POST", syncUri, new SyncRequest(cursors, syncLimit), Map.of(), SyncResponse.class)
                .thenComposeAsync(answer -> {
                    for (Message message : answer.body().messages()) {
                        book.offer(message, Delivery.SYNC, false);
                    }
                    persist();
                    if (stopped || !answer.body().hasMore() || cursors.equals(book.snapshot())) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return pages();
                }, executor);
    }

    private void show(Message message, Delivery via) {
        ackSoon(message.conversationId());
        listener.onMessage(message, via);
    }

    private void ackSoon(String conversationId) {
        if (pendingAcks.isEmpty()) {
            later(this::flushAcks, 0);
        }
        pendingAcks.add(conversationId);
    }

    /** Cumulative acks: one per conversation, for everything shown up to its cursor. */
    private void flushAcks() {
        persist();
        for (String conversationId : pendingAcks) {
            ackSink.accept(conversationId, book.cursor(conversationId));
        }
        pendingAcks.clear();
    }

    private void persist() {
        published = book.snapshot();
        try {
            store.save(published);
        } catch (RuntimeException e) {
            listener.onError(e);
        }
    }

    private void later(Runnable task, long delayMs) {
        try {
            executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the client is closed: nothing more to deliver
        }
    }
}
