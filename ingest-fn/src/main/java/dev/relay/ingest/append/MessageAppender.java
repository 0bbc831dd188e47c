package dev.relay.ingest.append;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.wire.Message;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.platform.dynamo.LogStore;
import dev.relay.platform.dynamo.TableNames;
import dev.relay.platform.retry.RetryBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;

/**
 * The conversation log's only write path. A message at seq n is written in ONE transaction that
 * also moves the conversation's {@code lastSeq} from n-1 to n, raises the sender's own
 * {@code readSeq}/{@code deliveredSeq} to n (which requires the sender's membership item to exist)
 * and, for exactly-once, claims the idempotency key. A reader can therefore never see n without
 * n-1: seq is gap-free and in commit order; and a member removed a moment ago cannot append.
 *
 * <p>Appends to one conversation from this process take turns ({@link ConversationTurns}), and the
 * next seq is guessed from the last one this process saw, so an uncontended append is a single
 * transaction. A guess that is stale, or a race lost to another process, fails the lastSeq
 * condition; the failed item's current {@code lastSeq} comes back with the cancellation and the
 * next attempt uses it. Retries are bounded twice ({@link RetryBudget}): at most {@value #MAX_ATTEMPTS}
 * attempts and at most {@code relay.ingest.append.retry-budget} of time from the first
 * cancellation, with jittered back-off; a cancellation that names no condition (a conflict with
 * another writer, or DynamoDB throttling the item) re-reads {@code lastSeq}. When either bound is
 * reached the append is answered contended (503 with {@code Retry-After}), nothing written. Appends to different
 * conversations that arrive while this process's transactions are all in flight share the next
 * one ({@link GroupCommit}); each still learns only its own items' fate.
 *
 * <p>The conversation item is marked {@code publishPending} (the sparse {@code pending-publish}
 * index, with {@code committedAt} = the first unpublished commit) in the same transaction; whoever
 * confirms the Kafka publish clears it, and the repair sweep publishes what stays marked. Since the
 * append writes that item anyway, it also records earlier seqs Kafka has acked
 * ({@link PublishedRuns}): {@code publishedSeq} rises in the same transaction, under the condition
 * {@link SeqRun#condition()}, and {@code committedAt} restarts as after any progress. A run that no
 * longer follows the stored {@code publishedSeq} (another process recorded it) cancels that attempt
 * only; the next one goes without it.
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
    private final GroupCommit commits;
    private final AppendTransaction transaction;
    private final Clock clock = Clock.systemUTC();
    /** How long an append may wait, for its conversation's turn and a transaction slot together. */
    private final Duration maxWait;
    private final RetryBudget retries;
    /** Last lastSeq this process saw per conversation; never ahead of the stored value. */
    private final Map<String, Long> lastSeqHints = new ConcurrentHashMap<>();

    @Inject
    public MessageAppender(DynamoDbClient dynamoDb, TableNames tables, LogStore log, IdempotencyStore idempotency,
                           ConversationTurns turns, IngestConfig config) {
        this(dynamoDb, tables, log, idempotency, turns, config.append().groupCommit().committers(),
                config.append().maxWait(), config.append().retryBudget());
    }

    /**
     * @param concurrentTransactions append transactions in flight at once; more appends share them
     * @param maxWait how long an append may wait for its turn and a transaction before it is answered contended
     * @param retryBudget how long an append may go on retrying after its first cancelled transaction
     */
    public MessageAppender(DynamoDbClient dynamoDb, TableNames tables, LogStore log, IdempotencyStore idempotency,
                           ConversationTurns turns, int concurrentTransactions, Duration maxWait, Duration retryBudget) {
        this.log = log;
        this.idempotency = idempotency;
        this.turns = turns;
        this.maxWait = maxWait;
        this.retries = new RetryBudget(MAX_ATTEMPTS, retryBudget, BASE_BACKOFF, MAX_BACKOFF);
        this.commits = new GroupCommit(dynamoDb, concurrentTransactions);
        this.transaction = new AppendTransaction(tables::of);
    }

    /** Appends one stored message sent by a member. */
    public AppendOutcome append(AppendRequest request) {
        return append(request, PublishedRuns.NONE);
    }

    /**
     * Appends one stored message and, in the same transaction, records the run of acked seqs that
     * {@code published} offers for the conversation (if any).
     */
    public AppendOutcome append(AppendRequest request, PublishedRuns published) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        ConversationTurns.Turn turn = turns.await(request.conversationId(), maxWait);
        if (turn == null) {
            return new AppendOutcome.Contended(0);
        }
        try {
            return appendInTurn(request, published, deadline);
        } finally {
            turn.release();
        }
    }

    /** Appends of this process that wait for a transaction slot right now (observed by tests and metrics). */
    public int waitingAppends() {
        return commits.waiting();
    }

    private AppendOutcome appendInTurn(AppendRequest request, PublishedRuns published, long deadline) {
        String conversationId = request.conversationId();
        IdempotencyClaim claim = request.claim();
        Long previous = lastSeqHints.get(conversationId);
        SeqRun run = published.next(conversationId);
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
            SeqRun recording = run != null && run.to() <= previous ? run : null;
            GroupCommit.Outcome outcome = commits.commit(new GroupCommit.Append(
                    transaction.items(message, claim, recording), touchedKeys(message, claim), estimatedBytes(message)),
                    earlier(deadline, attempts.deadlineOr(deadline)));
            List<CancellationReason> reasons;
            switch (outcome) {
                case GroupCommit.Outcome.TimedOut timedOut -> {
                    return new AppendOutcome.Contended(attempt);
                }
                case GroupCommit.Outcome.Committed committed -> {
                    remember(conversationId, message.seq());
                    if (recording != null) {
                        published.recorded(conversationId, recording);
                    }
                    return new AppendOutcome.Committed(message, attempt);
                }
                case GroupCommit.Outcome.Cancelled cancelled -> reasons = cancelled.reasons();
            }
            if (claim != null && failed(reasons, AppendTransaction.CLAIM)) {
                return answerFor(request, reasons.get(AppendTransaction.CLAIM).item(), attempt);
            }
            if (failed(reasons, AppendTransaction.MEMBER)) {
                return new AppendOutcome.NotMember();
            }
            if (!attempts.mayRetry()) {
                return new AppendOutcome.Contended(attempt);
            }
            // A failed condition on the conversation carries its current values; anything else (a conflict) re-reads.
            Map<String, AttributeValue> current = failed(reasons, AppendTransaction.CONVERSATION)
                    ? reasons.get(AppendTransaction.CONVERSATION).item() : null;
            if (recording != null && current != null && !current.isEmpty() && seqOf(current) == previous) {
                // lastSeq held: it was the run that no longer follows publishedSeq. Same seq, without it.
                published.observed(conversationId, number(current, Conversations.PUBLISHED_SEQ));
                run = null;
                continue;
            }
            previous = current == null || current.isEmpty() ? null : seqOf(current);
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
     * The items an append touches, by identity: its message, conversation and member items all live
     * under the conversation id; the idempotency record under sender and key.
     */
    private static Set<String> touchedKeys(Message message, IdempotencyClaim claim) {
        String conversation = "conversation\n" + message.conversationId();
        return claim == null ? Set.of(conversation)
                : Set.of(conversation, "claim\n" + message.senderId() + '\n' + claim.key());
    }

    /** Generous: 3 bytes per UTF-16 unit of body and meta, plus the attributes of the four items. */
    private static long estimatedBytes(Message message) {
        long text = message.body().length() + (message.meta() == null ? 0 : message.meta().toString().length());
        return 3 * text + 2048;
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

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static long seqOf(Map<String, AttributeValue> conversation) {
        return number(conversation, Conversations.LAST_SEQ);
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? 0L : Long.parseLong(value.n());
    }
}
