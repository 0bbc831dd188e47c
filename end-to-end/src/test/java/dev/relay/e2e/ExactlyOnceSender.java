package dev.relay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contract.wire.RelayJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A sender as API.md describes a careful one: every message gets its own {@code Idempotency-Key},
 * and the same key and body are sent again until a 2xx arrives: after a 503/409/429 once its
 * {@code Retry-After} has passed, after a network error or a timed-out request after a short
 * back-off. Each request has a bounded timeout, so an app that hangs shows up as a timeout, never as
 * a stuck sender. One message at a time, round robin over its conversations, one per permit of the
 * shared pace.
 */
final class ExactlyOnceSender implements Runnable {

    /** Answers and failures of all senders, counted as they happen; a phase reads the difference. */
    static final class Stats {
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong unavailableWithoutRetryAfter = new AtomicLong();
        final AtomicLong inProgress = new AtomicLong();
        final AtomicLong rateLimited = new AtomicLong();
        final AtomicLong otherServerErrors = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong networkErrors = new AtomicLong();
        final AtomicLong replays = new AtomicLong();
        /** Longest a request took to get any HTTP answer, in ms. */
        final AtomicLong slowestAnswerMillis = new AtomicLong();
        /** The answers that are not part of the protocol (other 5xx, 4xx): each one fails the suite. */
        final List<String> unexpected = new CopyOnWriteArrayList<>();

        Snapshot snapshot() {
            return new Snapshot(attempts.get(), unavailable.get(), unavailableWithoutRetryAfter.get(), inProgress.get(),
                    rateLimited.get(), otherServerErrors.get(), rejected.get(), timeouts.get(), networkErrors.get(), replays.get());
        }
    }

    record Snapshot(long attempts, long unavailable, long unavailableWithoutRetryAfter, long inProgress, long rateLimited,
                    long otherServerErrors, long rejected, long timeouts, long networkErrors, long replays) {

        Snapshot minus(Snapshot earlier) {
            return new Snapshot(attempts - earlier.attempts, unavailable - earlier.unavailable,
                    unavailableWithoutRetryAfter - earlier.unavailableWithoutRetryAfter, inProgress - earlier.inProgress,
                    rateLimited - earlier.rateLimited, otherServerErrors - earlier.otherServerErrors, rejected - earlier.rejected,
                    timeouts - earlier.timeouts, networkErrors - earlier.networkErrors, replays - earlier.replays);
        }
    }

    private static final ObjectMapper JSON = RelayJson.newMapper();
    /** Longer than ingest's own bound on an append (25 s): a request that runs into it is a hang. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long NETWORK_BACKOFF_MILLIS = 250;
    private static final long MAX_RETRY_AFTER_MILLIS = 5000;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String senderId;
    private final String token;
    private final Supplier<String> ingestUrl;
    private final List<String> conversations;
    private final Semaphore pace;
    private final SendLedger ledger;
    private final Stats stats;
    private volatile boolean stopping;
    private long next;

    ExactlyOnceSender(String senderId, String token, Supplier<String> ingestUrl, List<String> conversations,
                      Semaphore pace, SendLedger ledger, Stats stats) {
        this.senderId = senderId;
        this.token = token;
        this.ingestUrl = ingestUrl;
        this.conversations = conversations;
        this.pace = pace;
        this.ledger = ledger;
        this.stats = stats;
    }

    /** Asks the sender to stop after the message in hand got its 2xx. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                if (!pace.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                String conversation = conversations.get((int) (next % conversations.size()));
                long n = next++;
                sendUntilAnswered(conversation, senderId + "-" + n, "m " + senderId + " " + n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendUntilAnswered(String conversation, String key, String body) throws InterruptedException {
        URI uri = URI.create(ingestUrl.get() + "/v1/conversations/" + conversation + "/messages");
        String json;
        try {
            json = JSON.writeValueAsString(Map.of("body", body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        while (true) {
            stats.attempts.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
            HttpResponse<String> response;
            long started = System.nanoTime();
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                stats.timeouts.incrementAndGet();
                Thread.sleep(NETWORK_BACKOFF_MILLIS);
                continue;
            } catch (IOException e) {
                stats.networkErrors.incrementAndGet();
                Thread.sleep(NETWORK_BACKOFF_MILLIS);
                continue;
            }
            stats.slowestAnswerMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
            int status = response.statusCode();
            switch (status) {
                case 200, 201 -> {
                    if (status == 200) {
                        stats.replays.incrementAndGet();
                    }
                    record(conversation, key, body, response);
                    return;
                }
                case 503 -> {
                    stats.unavailable.incrementAndGet();
                    afterRetryAfter(response, stats.unavailableWithoutRetryAfter);
                }
                case 409 -> {
                    stats.inProgress.incrementAndGet();
                    afterRetryAfter(response, null);
                }
                case 429 -> {
                    stats.rateLimited.incrementAndGet();
                    afterRetryAfter(response, null);
                }
                default -> {
                    stats.unexpected.add(status + " for key " + key + ": " + response.body());
                    if (status >= 500) {
                        stats.otherServerErrors.incrementAndGet();
                        Thread.sleep(NETWORK_BACKOFF_MILLIS);
                    } else {
                        // A client error is final for this key; the suite fails on it.
                        stats.rejected.incrementAndGet();
                        return;
                    }
                }
            }
        }
    }

    /** The protocol's wait: as long as the server asked for (capped), or a short back-off when it did not say. */
    private static void afterRetryAfter(HttpResponse<String> response, AtomicLong missing) throws InterruptedException {
        long millis = response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.trim()) * 1000;
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(-1L);
        if (millis < 0) {
            if (missing != null) {
                missing.incrementAndGet();
            }
            millis = NETWORK_BACKOFF_MILLIS;
        }
        Thread.sleep(Math.min(millis, MAX_RETRY_AFTER_MILLIS));
    }

    private void record(String conversation, String key, String body, HttpResponse<String> response) {
        try {
            JsonNode answer = JSON.readTree(response.body());
            ledger.acked(new SendLedger.Acked(conversation, answer.get("seq").asLong(), answer.get("messageId").asText(), body, key));
        } catch (IOException | RuntimeException e) {
            stats.unexpected.add(response.statusCode() + " with an unreadable body for key " + key + ": " + response.body());
        }
    }
}
