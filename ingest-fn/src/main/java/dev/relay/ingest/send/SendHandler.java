package dev.relay.ingest.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.problem.ProblemType;
import dev.relay.contract.problem.RelayProblem;
import dev.relay.contract.wire.Ids;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.SendRequest;
import dev.relay.contract.wire.SendResult;
import dev.relay.contract.wire.SignalAccepted;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.ingest.config.IngestMetrics;
import dev.relay.ingest.kafka.MessagePublisher;
import dev.relay.ingest.kafka.PublishConfirmations;
import dev.relay.ingest.kafka.SignalPublisher;
import dev.relay.ingest.redis.SendRateLimiter;
import dev.relay.platform.dynamo.AppendOutcome;
import dev.relay.platform.dynamo.IdempotencyClaim;
import dev.relay.platform.dynamo.MemberStore;
import dev.relay.platform.dynamo.MessageLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One send, in the order API.md's error table implies: validate (400/413), require the key for
 * exactly-once (400), take a rate-limit token (429), then either hand an at-most-once signal to
 * Kafka (202) or append to the log (membership is checked inside the transaction, 404; earlier
 * Kafka acks of the conversation are recorded in the same transaction) and publish the committed
 * message before answering 201. A replayed key answers its original result (200).
 *
 * <p>While an exactly-once send is being handled here, the same sender + key is answered 409
 * {@code request-in-progress} at once instead of queueing behind it; across processes the
 * idempotency record in the append transaction decides (one commits, the others replay).
 */
@ApplicationScoped
public class SendHandler {

    private static final int RETRY_AFTER_SECONDS = 1;

    private final MessageLog log;
    private final MemberStore members;
    private final MessagePublisher messages;
    private final PublishConfirmations confirmations;
    private final SignalPublisher signals;
    private final SendRateLimiter rateLimiter;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    /** sender + key of the exactly-once sends this process is handling right now (commit through publish). */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public SendHandler(MessageLog log, MemberStore members, MessagePublisher messages, PublishConfirmations confirmations,
                       SignalPublisher signals, SendRateLimiter rateLimiter, IngestConfig config, IngestMetrics metrics) {
        this.log = log;
        this.members = members;
        this.messages = messages;
        this.confirmations = confirmations;
        this.signals = signals;
        this.rateLimiter = rateLimiter;
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
        OptionalLong wait = rateLimiter.take(senderId);
        if (wait.isPresent()) {
            throw new RelayProblem(ProblemType.RATE_LIMITED, "too many sends; slow down",
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
        String flight = senderId + '\n' + key;
        if (!inFlight.add(flight)) {
            throw new RelayProblem(ProblemType.REQUEST_IN_PROGRESS,
                    "a send with this Idempotency-Key is being processed; retry", RETRY_AFTER_SECONDS);
        }
        try {
            return appendOnce(senderId, conversationId, key, qos, request);
        } finally {
            inFlight.remove(flight);
        }
    }

    private SendAnswer appendOnce(String senderId, String conversationId, String key, Qos qos, SendRequest request) {
        IdempotencyClaim claim = qos == Qos.EXACTLY_ONCE
                ? new IdempotencyClaim(key, RequestFingerprint.of(conversationId, qos, request.body(), meta(request)),
                        Instant.now(clock).plus(config.idempotencyTtl()))
                : null;
        AppendOutcome outcome = metrics.commit().record(
                () -> log.append(conversationId, senderId, request.body(), meta(request), qos, claim, confirmations));
        return switch (outcome) {
            case AppendOutcome.Committed committed -> {
                metrics.retried(committed.attempts() - 1);
                messages.publishAndWait(committed.message(), config.publish().ackTimeout());
                yield new SendAnswer.Created(SendResult.of(committed.message()));
            }
            case AppendOutcome.Replayed replayed -> {
                metrics.replayed();
                yield new SendAnswer.Replayed(replayed.original());
            }
            case AppendOutcome.KeyReused reused -> throw new RelayProblem(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was already used for a different conversation or body");
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

    private void validate(SendRequest request) {
        if (request == null) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "a JSON body {\"body\":…} is required");
        }
        if (request.body() == null) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "body is required");
        }
        if (request.meta() != null && !request.meta().isNull() && !request.meta().isObject()) {
            throw new RelayProblem(ProblemType.MALFORMED_REQUEST, "meta must be a JSON object");
        }
        if (utf8Length(request.body()) > config.maxBodyBytes()) {
            throw new RelayProblem(ProblemType.PAYLOAD_TOO_LARGE,
                    "body is over " + config.maxBodyBytes() + " bytes of UTF-8");
        }
    }

    /** UTF-8 length without encoding; an unpaired surrogate counts as the 3 bytes of its replacement. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static JsonNode meta(SendRequest request) {
        return request.meta() == null || request.meta().isNull() ? null : request.meta();
    }

    private static RelayProblem notFound() {
        return new RelayProblem(ProblemType.CONVERSATION_NOT_FOUND, "no such conversation");
    }
}
