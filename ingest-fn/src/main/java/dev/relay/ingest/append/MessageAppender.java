package dev.relay.ingest.append;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.wire.Message;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.platform.dynamo.ItemValues;
import dev.relay.platform.dynamo.LogStore;
import dev.relay.platform.retry.RetryBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The conversation log's only write path. A message at seq n is written in ONE transaction that
 * also moves the conversation's {@code lastSeq} from n-1 to n, raises the sender's own
 * {@code readSeq}/{@code deliveredSeq} to n (which requires the sender's membership item to exist)
 * and, for exactly-once, claims the idempotency key ({@link AppendTransaction}). A reader can
 * therefore never see n without n-1: seq is gap-free and in commit order; and a member removed a
 * moment ago cannot append.
 *
 * <p>Appends to one conversation from this process take turns ({@link ConversationTurns}), and the
 * next seq is guessed from the last one this process saw, so an uncontended append is a single
 * transaction. A guess that is stale, or a race lost to another process, fails the lastSeq
 * condition; the failed item's current {@code lastSeq} comes back with the cancellation and the
 * next attempt uses it. Retries are bounded twice ({@link RetryBudget}): at most {@value #MAX_ATTEMPTS}
 * attempts and at most {@code relay.ingest.append.retry-budget} of time from the first
 * cancellation, with jittered back-off; a cancellation that names no condition (a conflict with
 * another writer, or DynamoDB throttling the item) re-reads {@code lastSeq}. When either bound is
 * reached the append is answered contended (503 with {@code Retry-After}), nothing written.
 *
 * <p>Each attempt goes to the {@link Committer}: the core sends one transaction per attempt;
 * {@link GroupCommit} and {@link AcksInAppend} are the optimisations configuration turns on
 * ({@link Committers}). The conversation item is marked {@code publishPending} (the sparse
 * {@code pending-publish} index, with {@code committedAt} = the first unpublished commit) in the
 * same transaction; whoever confirms the Kafka publish clears it, and the repair sweep publishes
 * what stays marked.
 *
 * <p>Invariant relied on: a member's {@code readSeq} and {@code deliveredSeq} never exceed the
 * conversation's {@code lastSeq}, so setting them to the new seq only ever raises them.
 */
@ApplicationScoped
public class MessageAppender {

    private static final int MAX_ATTEMPTS = 64;
    private static final Duration BASE_BACKOFF = Duration.ofMillis(1);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(64);
    private static final int MAX_HINTS = 100_000;

    private final LogStore log;
    private final IdempotencyStore idempotency;
    private final ConversationTurns turns;
    private final Committer committer;
    private final Clock clock = Clock.systemUTC();
    /** How long an append may wait, for its conversation's turn and its transaction together. */
    private final Duration maxWait;
    private final RetryBudget retries;
    /** Last lastSeq this process saw per conversation; never ahead of the stored value. */
    private final Map<String, Long> lastSeqHints = new ConcurrentHashMap<>();

    @Inject
    public MessageAppender(LogStore log, IdempotencyStore idempotency, ConversationTurns turns, Committer committer,
                           IngestConfig config) {
        this(log, idempotency, turns, committer, config.append().maxWait(), config.append().retryBudget());
    }

    /**
     * @param maxWait     how long an append may wait for its turn and its transaction before it is answered contended
     * @param retryBudget how long an append may go on retrying after its first cancelled transaction
     */
    public MessageAppender(LogStore log, IdempotencyStore idempotency, ConversationTurns turns, Committer committer,
                           Duration maxWait, Duration retryBudget) {
        this.log = log;
        this.idempotency = idempotency;
        this.turns = turns;
        this.committer = committer;
        this.maxWait = maxWait;
        this.retries = new RetryBudget(MAX_ATTEMPTS, retryBudget, BASE_BACKOFF, MAX_BACKOFF);
    }

    /** Appends one stored message sent by a member; says what it came to. */
    public AppendOutcome append(AppendRequest request) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        ConversationTurns.Turn turn = turns.await(request.conversationId(), maxWait);
        if (turn == null) {
            return new AppendOutcome.Contended(0);
        }
        try {
            return appendInTurn(request, deadline);
        } finally {
            turn.release();
        }
    }

    private AppendOutcome appendInTurn(AppendRequest request, long deadline) {
        String conversationId = request.conversationId();
        Long previous = lastSeqHints.get(conversationId);
        RetryBudget.Run attempts = retries.start();
        while (true) {
            int attempt = attempts.attempts();
            if (previous == null) {
                previous = log.lastSeq(conversationId);
                if (previous == null) {
                    return new AppendOutcome.NoConversation();
                }
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Message message = new Message(UUID.randomUUID().toString(), conversationId, previous + 1,
                    request.senderId(), request.body(), request.meta(), now, request.qos());
            CommitOutcome.Cancelled cancelled;
            switch (committer.commit(new AppendAttempt(message, request.claim()), earlier(deadline, attempts.deadlineOr(deadline)))) {
                case CommitOutcome.TimedOut timedOut -> {
                    return new AppendOutcome.Contended(attempt);
                }
                case CommitOutcome.Committed committed -> {
                    remember(conversationId, message.seq());
                    return new AppendOutcome.Committed(message, attempt);
                }
                case CommitOutcome.Cancelled own -> cancelled = own;
            }
            if (request.claim() != null && cancelled.failed(AppendTransaction.CLAIM)) {
                return answerFor(request, cancelled.reasons().get(AppendTransaction.CLAIM).item(), attempt);
            }
            if (cancelled.failed(AppendTransaction.MEMBER)) {
                return new AppendOutcome.NotMember();
            }
            if (!attempts.mayRetry()) {
                return new AppendOutcome.Contended(attempt);
            }
            // A failed condition on the conversation carries its current values; anything else (a conflict) re-reads.
            Map<String, AttributeValue> current = cancelled.failed(AppendTransaction.CONVERSATION)
                    ? cancelled.reasons().get(AppendTransaction.CONVERSATION).item() : null;
            previous = current == null || current.isEmpty() ? null : ItemValues.number(current, Conversations.LAST_SEQ);
            if (previous != null) {
                remember(conversationId, previous);
            }
            // The first retry goes at once: its guess was just corrected by the cancellation.
            if (attempt > 1) {
                attempts.backOff();
            }
        }
    }

    /** The earlier of two {@link System#nanoTime()} instants. */
    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    /**
     * The key's stored record decides: same fingerprint and conversation is a replay, anything else a
     * reuse. A record gone by the time it is read (TTL) leaves the append contended: the client retries.
     */
    private AppendOutcome answerFor(AppendRequest request, Map<String, AttributeValue> stored, int attempt) {
        if (stored != null && !stored.isEmpty()) {
            return IdempotencyItems.outcome(stored, request.claim(), request.conversationId());
        }
        return idempotency.committed(request.senderId(), request.conversationId(), request.claim())
                .orElseGet(() -> new AppendOutcome.Contended(attempt));
    }

    private void remember(String conversationId, long lastSeq) {
        if (lastSeqHints.size() >= MAX_HINTS) {
            lastSeqHints.clear();
        }
        lastSeqHints.merge(conversationId, lastSeq, Math::max);
    }
}
