package dev.relay.ingest.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.validation.MetaRules;
import dev.relay.contract.validation.UnicodeText;
import dev.relay.contract.wire.Ids;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.SendRequest;
import dev.relay.contract.wire.SendResult;
import dev.relay.contract.wire.SignalAccepted;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.ingest.config.IngestMetrics;
import dev.relay.ingest.kafka.MessagePublisher;
import dev.relay.ingest.kafka.SignalPublisher;
import dev.relay.ingest.redis.UserRateLimiter;
import dev.relay.ingest.append.AppendOutcome;
import dev.relay.ingest.append.AppendRequest;
import dev.relay.ingest.append.IdempotencyClaim;
import dev.relay.ingest.append.IdempotencyStore;
import dev.relay.ingest.append.MessageAppender;
import dev.relay.platform.dynamo.MemberStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One send, in the order API.md's error table implies: validate (400/413: valid Unicode body,
 * {@link MetaRules} for meta; the JSON itself was read strictly by platform's StrictJsonCustomizer), require the key for
 * exactly-once (400), take a rate-limit token (429; signals from a bucket of their own), then either hand an at-most-once signal to
 * Kafka (202) or append to the log (membership is checked inside the transaction, 404) and publish the committed
 * message before answering 201. A replayed key answers its original result (200).
 *
 * <p>While an exactly-once send is being handled here and its key is not committed yet, the same
 * sender + key is answered 409 {@code request-in-progress} at once instead of queueing behind it;
 * once committed, every concurrent retry is a replay (200). Across processes the idempotency record
 * in the append transaction decides (one commits, the others replay). Key answers (200, 422, 409)
 * go to members only; anyone else gets 404 whatever the key.
 */
@ApplicationScoped
public class SendHandler {

    private static final int RETRY_AFTER_SECONDS = 1;

    private final MessageAppender appender;
    private final MemberStore members;
    private final MessagePublisher messages;
    private final SignalPublisher signals;
    private final UserRateLimiter rateLimiter;
    private final IdempotencyStore idempotency;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    /** sender + key of the exactly-once sends this process is handling right now (commit through publish). */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public SendHandler(MessageAppender appender, MemberStore members, MessagePublisher messages,
                       SignalPublisher signals, UserRateLimiter rateLimiter, IdempotencyStore idempotency,
                       IngestConfig config, IngestMetrics metrics) {
        this.appender = appender;
        this.members = members;
        this.messages = messages;
        this.signals = signals;
        this.rateLimiter = rateLimiter;
        this.idempotency = idempotency;
        this.config = config;
        this.metrics = metrics;
    }

    public SendAnswer send(String senderId, String conversationId, String idempotencyKey, SendRequest request) {
        Ids.requireConversationId(conversationId);
        validate(request);
        Qos qos = request.effectiveQos();
        String key = idempotencyKey == null || idempotencyKey.isEmpty() ? null : Ids.requireIdempotencyKey(idempotencyKey);
        if (qos == Qos.EXACTLY_ONCE && key == null) {
            throw new RelayProblem(ProblemType.IDEMPOTENCY_KEY_REQUIRED,
                    "an exactly-once send needs an Idempotency-Key header (1-128 chars [A-Za-z0-9._:-])");
        }
        OptionalLong wait = rateLimiter.take(qos.stored() ? UserRateLimiter.Kind.SEND : UserRateLimiter.Kind.SIGNAL, senderId);
        if (wait.isPresent()) {
            throw new RelayProblem(ProblemType.RATE_LIMITED, qos.stored() ? "too many sends; slow down"
                    : "too many at-most-once signals; slow down",
                    (int) Math.max(1, (wait.getAsLong() + 999) / 1000));
        }
        return qos.stored() ? append(senderId, conversationId, key, qos, request) : signal(senderId, conversationId, request);
    }

    private SendAnswer signal(String senderId, String conversationId, SendRequest request) {
        if (!members.isMember(conversationId, senderId)) {
            throw notFound();
        }
        signals.publish(new ServerFrame.Signal(conversationId, senderId, request.body(), meta(request),
                clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        return new SendAnswer.Signalled(SignalAccepted.of(conversationId));
    }

    private SendAnswer append(String senderId, String conversationId, String key, Qos qos, SendRequest request) {
        if (qos != Qos.EXACTLY_ONCE) {
            return appendOnce(senderId, conversationId, null, qos, request);
        }
        IdempotencyClaim claim = new IdempotencyClaim(key, RequestFingerprint.of(conversationId, qos, request.body(),
                meta(request)), Instant.now(clock).plus(config.idempotencyTtl()));
        String flight = senderId + '\n' + key;
        if (!inFlight.add(flight)) {
            return whileInFlight(senderId, conversationId, claim);
        }
        try {
            return appendOnce(senderId, conversationId, claim, qos, request);
        } finally {
            inFlight.remove(flight);
        }
    }

    /**
     * Another request of this sender with this key is being handled here. Once the key is committed
     * (its record exists, even while the original is still publishing) this one is a replay like any
     * other (200); only while the original is uncommitted is it 409. A non-member learns neither.
     */
    private SendAnswer whileInFlight(String senderId, String conversationId, IdempotencyClaim claim) {
        if (!members.isMember(conversationId, senderId)) {
            throw notFound();
        }
        return idempotency.committed(senderId, conversationId, claim)
                .map(outcome -> answer(senderId, conversationId, outcome))
                .orElseThrow(() -> new RelayProblem(ProblemType.REQUEST_IN_PROGRESS,
                        "a send with this Idempotency-Key is being processed; retry", RETRY_AFTER_SECONDS));
    }

    private SendAnswer appendOnce(String senderId, String conversationId, IdempotencyClaim claim, Qos qos,
                                  SendRequest request) {
        AppendOutcome outcome = metrics.commit().record(
                () -> appender.append(new AppendRequest(conversationId, senderId, request.body(), meta(request), qos, claim)));
        return answer(senderId, conversationId, outcome);
    }

    private SendAnswer answer(String senderId, String conversationId, AppendOutcome outcome) {
        return switch (outcome) {
            case AppendOutcome.Committed committed -> {
                metrics.retried(committed.attempts() - 1);
                messages.publishAndWait(committed.message(), config.publish().ackTimeout());
                yield new SendAnswer.Created(SendResult.of(committed.message()));
            }
            case AppendOutcome.Replayed replayed -> {
                requireMember(senderId, conversationId);
                metrics.replayed();
                yield new SendAnswer.Replayed(replayed.original());
            }
            case AppendOutcome.KeyReused reused -> {
                requireMember(senderId, conversationId);
                throw new RelayProblem(ProblemType.IDEMPOTENCY_KEY_REUSED,
                        "this Idempotency-Key was already used for a different conversation or body");
            }
            case AppendOutcome.NoConversation none -> throw notFound();
            case AppendOutcome.NotMember notMember -> throw notFound();
            case AppendOutcome.Contended contended -> {
                // Nothing was written; 409 stays reserved for "this key is in progress" (API.md).
                metrics.contended();
                throw new RelayProblem(ProblemType.UNAVAILABLE,
                        "the conversation is too busy right now; retry", RETRY_AFTER_SECONDS);
            }
        };
    }

    /**
     * The append's transaction decides a claimed key before membership, so a key answer (200, 422)
     * is only given to a member: to anyone else the conversation does not exist, whatever the key.
     */
    private void requireMember(String senderId, String conversationId) {
        if (!members.isMember(conversationId, senderId)) {
            throw notFound();
        }
    }

    private void validate(SendRequest request) {
        if (request == null) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "a JSON body {\"body\":…} is required");
        }
        if (request.body() == null) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "body is required");
        }
        UnicodeText.require("body", request.body());
        MetaRules.require(request.meta());
        if (UnicodeText.utf8Length(request.body()) > config.maxBodyBytes()) {
            throw new RelayProblem(ProblemType.PAYLOAD_TOO_LARGE,
                    "body is over " + config.maxBodyBytes() + " bytes of UTF-8");
        }
    }

    private static JsonNode meta(SendRequest request) {
        return request.meta() == null || request.meta().isNull() ? null : request.meta();
    }

    private static RelayProblem notFound() {
        return new RelayProblem(ProblemType.CONVERSATION_NOT_FOUND, "no such conversation");
    }
}
