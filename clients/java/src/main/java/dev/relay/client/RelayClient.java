package dev.relay.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.Conversation;
import dev.relay.contract.wire.CreateConversationRequest;
import dev.relay.contract.wire.HistoryPage;
import dev.relay.contract.wire.InboxPage;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.ReadRequest;
import dev.relay.contract.wire.RelayJson;
import dev.relay.contract.wire.SendRequest;
import dev.relay.contract.wire.SendResult;
import dev.relay.contract.wire.SignalAccepted;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Relay client for one user and device. It shows every stored message exactly once and in seq
 * order per conversation ({@link RelayListener#onMessage}): one cursor per conversation, seq ≤
 * cursor dropped, a sync on a gap, on every (re)connect and on {@code resync}, pushes that arrive
 * during a sync held until it ends. Sends go through an ordered offline queue and are retried with
 * the same Idempotency-Key until stored.
 *
 * <p>All state lives on one thread of the client's own; listeners are called there. Results are
 * {@link CompletableFuture}s; a failed one holds a {@link RelayException}.
 *
 * <pre>{@code
 * try (RelayClient client = RelayClient.builder().ingestUrl(ingest).syncUrl(sync).edgeUrl(edge)
 *         .token(() -> fetchJwt()).device("laptop").listener(myListener).build()) {
 *     client.connect().join();
 *     Conversation c = client.createConversation(List.of("bob"), "Trip").join();
 *     Sent sent = client.send(c.conversationId(), "hi").join();
 *     client.markRead(c.conversationId(), sent.seq()).join();
 * }
 * }</pre>
 */
public final class RelayClient implements AutoCloseable {

    private final ClientOptions options;
    private final ScheduledThreadPoolExecutor executor;
    private final HttpClient http;
    private final RelayHttpClient api;
    private final StreamSupervisor stream;
    private final DeliveryMerger delivery;
    private final SendOutbox outbox;
    /** The one thread all state lives on (listeners run there too). */
    private volatile Thread loopThread;

    RelayClient(ClientOptions options) {
        this.options = options;
        ObjectMapper json = RelayJson.newMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE);
        java.util.concurrent.ThreadFactory threads = Thread.ofPlatform().daemon()
                .name("relay-client-" + (options.device() == null ? "default" : options.device())).factory();
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = threads.newThread(task);
            loopThread = thread;
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.http = StreamConnection.newHttpClient(options.connectTimeout());
        TokenSource tokens = new TokenSource(options.token(), options.tokenRefreshMargin(), Clock.systemUTC(), json);
        HttpTransport transport = options.transport() != null ? options.transport() : HttpTransport.of(http);
        this.api = new RelayHttpClient(transport, tokens, json, options.requestTimeout(), Clock.systemUTC());
        ListenerFanout listener = new ListenerFanout(options.listeners());
        StreamSupervisor[] self = new StreamSupervisor[1];
        this.delivery = new DeliveryMerger(executor, api, URI.create(options.sync() + "/v1/sync"), options.syncLimit(),
                options.store(), listener, backoff(options.reconnectBase(), options.reconnectMax()),
                (conversationId, seq) -> self[0].ack(conversationId, seq));
        this.outbox = new SendOutbox(executor, this::online, backoff(options.sendRetryBase(), options.sendRetryMax()),
                options.sendMaxAttempts(), (problem, delay) -> listener.onError(problem));
        this.stream = new StreamSupervisor(options, executor, http, json, tokens, delivery, listener,
                backoff(options.reconnectBase(), options.reconnectMax()),
                () -> outbox.close(RelayException.local("replaced", "replaced by a newer connection of this device")));
        self[0] = stream;
    }

    public static RelayClientBuilder builder() {
        return new RelayClientBuilder();
    }

    /** Opens the stream; completes at the first {@code hello}. It reconnects by itself afterwards. */
    public CompletableFuture<Void> connect() {
        return onLoop(stream::connect);
    }

    public ConnectionState state() {
        return stream.state();
    }

    /** The highest seq shown per conversation. */
    public Map<String, Long> cursors() {
        return delivery.cursors();
    }

    /** Fetches everything above the cursors now (done by itself on every connect, gap and resync). */
    public CompletableFuture<Void> sync() {
        return onLoop(() -> delivery.started() ? delivery.requestSync()
                : CompletableFuture.failedFuture(RelayException.local("not-connected", "call connect() first")));
    }

    public CompletableFuture<Conversation> createConversation(List<String> members, String title) {
        return api.call("POST", ingest("/v1/conversations"), new CreateConversationRequest(members, title), Map.of(),
                Conversation.class).thenApply(RelayHttpClient.Answer::body);
    }

    public CompletableFuture<Void> addMember(String conversationId, String userId) {
        return api.call("POST", ingest("/v1/conversations/" + enc(conversationId) + "/members"),
                Map.of("userId", userId), Map.of(), Void.class).thenApply(answer -> null);
    }

    public CompletableFuture<Void> removeMember(String conversationId, String userId) {
        return api.call("DELETE", ingest("/v1/conversations/" + enc(conversationId) + "/members/" + enc(userId)),
                null, Map.of(), Void.class).thenApply(answer -> null);
    }

    public CompletableFuture<Sent> send(String conversationId, String body) {
        return send(conversationId, body, SendOptions.DEFAULT);
    }

    /**
     * A stored send (exactly-once unless {@code options} say at-least-once), through the offline
     * queue: in order, once connected (at once if {@link #connect()} was never called), retried on
     * network errors, 409, 429 and 503 after Retry-After with the same Idempotency-Key.
     */
    public CompletableFuture<Sent> send(String conversationId, String body, SendOptions options) {
        Objects.requireNonNull(body, "body");
        Qos qos = options.qos() == null ? Qos.EXACTLY_ONCE : options.qos();
        String key = options.idempotencyKey() != null ? options.idempotencyKey() : UUID.randomUUID().toString();
        URI uri = ingest("/v1/conversations/" + enc(conversationId) + "/messages");
        SendRequest request = new SendRequest(body, qos, options.meta());
        return outbox.enqueue(() -> api.call("POST", uri, request, Map.of("Idempotency-Key", key), SendResult.class)
                .thenApply(answer -> new Sent(answer.body(),
                        answer.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false),
                        key)));
    }

    /** An at-most-once signal (typing, live state): tried once, now; pushed to members online, never stored. */
    public CompletableFuture<SignalAccepted> signal(String conversationId, String body, JsonNode meta) {
        return api.call("POST", ingest("/v1/conversations/" + enc(conversationId) + "/messages"),
                new SendRequest(body, Qos.AT_MOST_ONCE, meta), Map.of(), SignalAccepted.class)
                .thenApply(RelayHttpClient.Answer::body);
    }

    /** Raises this user's readSeq (members online get a receipt); a lower seq is ignored by the server. */
    public CompletableFuture<Void> markRead(String conversationId, long seq) {
        return api.call("POST", syncPath("/v1/conversations/" + enc(conversationId) + "/read"), new ReadRequest(seq),
                Map.of(), Void.class).thenApply(answer -> null);
    }

    /** The first page of the inbox, most recently active first, with unread counts. */
    public CompletableFuture<InboxPage> conversations() {
        return conversations(50, null);
    }

    public CompletableFuture<InboxPage> conversations(int limit, String cursor) {
        String query = "?limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor));
        return api.call("GET", syncPath("/v1/conversations" + query), null, Map.of(), InboxPage.class)
                .thenApply(RelayHttpClient.Answer::body);
    }

    /** Messages of one conversation after {@code afterSeq} (not emitted as onMessage). */
    public CompletableFuture<HistoryPage> historyAfter(String conversationId, long afterSeq, int limit) {
        return history(conversationId, "after=" + afterSeq + "&limit=" + limit);
    }

    /** Messages of one conversation before {@code beforeSeq} (not emitted as onMessage). */
    public CompletableFuture<HistoryPage> historyBefore(String conversationId, long beforeSeq, int limit) {
        return history(conversationId, "before=" + beforeSeq + "&limit=" + limit);
    }

    private CompletableFuture<HistoryPage> history(String conversationId, String query) {
        return api.call("GET", syncPath("/v1/conversations/" + enc(conversationId) + "/messages?" + query), null,
                Map.of(), HistoryPage.class).thenApply(RelayHttpClient.Answer::body);
    }

    /** Closes the stream for good; queued sends fail with slug {@code closed}. Waits (briefly) until done. */
    @Override
    public void close() {
        CompletableFuture<Void> done = onLoop(() -> {
            stream.close();
            outbox.close(RelayException.local("closed", "client closed"));
            return CompletableFuture.completedFuture(null);
        });
        try {
            executor.execute(executor::shutdown);
        } catch (RejectedExecutionException alreadyClosed) {
            return;
        }
        if (Thread.currentThread() != loopThread) {
            done.completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        }
        http.shutdown();
    }

    private CompletableFuture<Void> online() {
        return onLoop(stream::online);
    }

    /** Runs {@code task} on the client's thread and completes with the future it returns. */
    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> task.get().whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(RelayHttpClient.unwrap(failure));
                } else {
                    result.complete(value);
                }
            }));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(RelayException.local("closed", "client is closed"));
        }
        return result;
    }

    private URI ingest(String path) {
        return URI.create(options.ingest() + path);
    }

    private URI syncPath(String path) {
        return URI.create(options.sync() + path);
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Backoff backoff(java.time.Duration base, java.time.Duration max) {
        return new Backoff(base, max, () -> ThreadLocalRandom.current().nextDouble());
    }
}
