package dev.relay.platform.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Idempotency;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.contract.wire.SendResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The conversation log's only write path. A message at seq n is written in ONE transaction that
 * also moves the conversation's {@code lastSeq} from n-1 to n (and, for exactly-once, claims the
 * idempotency key). A reader can therefore never see n without n-1: seq is gap-free and in commit
 * order. A writer that loses the race re-reads {@code lastSeq} and tries n+1, a bounded number of
 * times with jittered back-off.
 *
 * <p>The conversation item is marked {@code publishPending} (the sparse {@code pending-publish}
 * index) in the same transaction; whoever confirms the Kafka publish clears it, and the repair
 * sweep publishes what stays marked.
 */
@ApplicationScoped
public class MessageLog {

    /** Marker value of {@code publishPending}; present means "lastSeq may be ahead of Kafka". */
    public static final String PENDING = "1";

    private static final int MAX_ATTEMPTS = 64;
    private static final long MAX_BACKOFF_MS = 64;

    private final DynamoDbClient dynamoDb;
    private final String messages;
    private final String conversations;
    private final String idempotency;
    private final Clock clock;

    public MessageLog(DynamoDbClient dynamoDb, TableNames tables) {
        this(dynamoDb, tables, Clock.systemUTC());
    }

    MessageLog(DynamoDbClient dynamoDb, TableNames tables, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.messages = tables.of(Messages.NAME);
        this.conversations = tables.of(Conversations.NAME);
        this.idempotency = tables.of(Idempotency.NAME);
        this.clock = clock;
    }

    /**
     * Appends one stored message (qos at-least-once or exactly-once).
     *
     * @param claim the idempotency key to claim atomically with the message, or null
     */
    public AppendOutcome append(String conversationId, String senderId, String body, JsonNode meta, Qos qos,
                                IdempotencyClaim claim) {
        if (!qos.stored()) {
            throw new IllegalArgumentException(qos + " is not stored");
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Long lastSeq = lastSeq(conversationId);
            if (lastSeq == null) {
                return new AppendOutcome.NoConversation();
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Message message = new Message(UUID.randomUUID().toString(), conversationId, lastSeq + 1, senderId,
                    body, meta, now, qos);
            try {
                dynamoDb.transactWriteItems(b -> b.transactItems(transaction(message, lastSeq, claim)));
                return new AppendOutcome.Committed(message);
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (claim != null && reasons.size() > 2 && "ConditionalCheckFailed".equals(reasons.get(2).code())) {
                    return answerFor(claim, senderId, conversationId, reasons.get(2).item());
                }
                backOff(attempt);
            }
        }
        return new AppendOutcome.Contended(MAX_ATTEMPTS);
    }

    /** The committed {@code lastSeq}, read strongly consistent; null when there is no such conversation. */
    public Long lastSeq(String conversationId) {
        GetItemResponse response = dynamoDb.getItem(b -> b.tableName(conversations).consistentRead(true)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId)))
                .projectionExpression("#l").expressionAttributeNames(Map.of("#l", Conversations.LAST_SEQ)));
        if (!response.hasItem() || response.item().isEmpty()) {
            return null;
        }
        AttributeValue lastSeq = response.item().get(Conversations.LAST_SEQ);
        return lastSeq == null ? 0L : Long.parseLong(lastSeq.n());
    }

    private List<TransactWriteItem> transaction(Message message, long previousSeq, IdempotencyClaim claim) {
        List<TransactWriteItem> items = new ArrayList<>(3);
        items.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(messages)
                .item(MessageItems.toItem(message))
                .conditionExpression("attribute_not_exists(#s)")
                .expressionAttributeNames(Map.of("#s", Messages.SEQ))
                .build()).build());
        items.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(conversations)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(message.conversationId())))
                .updateExpression("SET #l = :seq, #a = :now, #p = :pending, #c = if_not_exists(#c, :nowMillis)")
                .conditionExpression("#l = :prev")
                .expressionAttributeNames(Map.of(
                        "#l", Conversations.LAST_SEQ,
                        "#a", Conversations.LAST_ACTIVITY_AT,
                        "#p", Conversations.PUBLISH_PENDING,
                        "#c", Conversations.COMMITTED_AT))
                .expressionAttributeValues(Map.of(
                        ":seq", AttributeValue.fromN(Long.toString(message.seq())),
                        ":prev", AttributeValue.fromN(Long.toString(previousSeq)),
                        ":now", AttributeValue.fromS(message.sentAt().toString()),
                        ":pending", AttributeValue.fromS(PENDING),
                        ":nowMillis", AttributeValue.fromN(Long.toString(message.sentAt().toEpochMilli()))))
                .build()).build());
        if (claim != null) {
            items.add(TransactWriteItem.builder().put(Put.builder()
                    .tableName(idempotency)
                    .item(idempotencyItem(message, claim))
                    .conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", Idempotency.IDEMPOTENCY_KEY))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).build());
        }
        return items;
    }

    private static Map<String, AttributeValue> idempotencyItem(Message message, IdempotencyClaim claim) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Idempotency.SENDER_ID, AttributeValue.fromS(message.senderId()));
        item.put(Idempotency.IDEMPOTENCY_KEY, AttributeValue.fromS(claim.key()));
        item.put(Idempotency.FINGERPRINT, AttributeValue.fromS(claim.fingerprint()));
        item.put(Idempotency.CONVERSATION_ID, AttributeValue.fromS(message.conversationId()));
        item.put(Idempotency.MESSAGE_ID, AttributeValue.fromS(message.messageId()));
        item.put(Idempotency.SEQ, AttributeValue.fromN(Long.toString(message.seq())));
        item.put(Idempotency.SENT_AT, AttributeValue.fromS(message.sentAt().toString()));
        item.put(Idempotency.QOS, AttributeValue.fromS(message.qos().wire()));
        item.put(Idempotency.EXPIRES_AT, AttributeValue.fromN(Long.toString(claim.expiresAt().getEpochSecond())));
        return item;
    }

    /** The stored record decides: same fingerprint and conversation is a replay, anything else a reuse. */
    private AppendOutcome answerFor(IdempotencyClaim claim, String senderId, String conversationId,
                                    Map<String, AttributeValue> stored) {
        if (stored == null || stored.isEmpty()) {
            stored = dynamoDb.getItem(b -> b.tableName(idempotency).consistentRead(true).key(Map.of(
                    Idempotency.SENDER_ID, AttributeValue.fromS(senderId),
                    Idempotency.IDEMPOTENCY_KEY, AttributeValue.fromS(claim.key())))).item();
        }
        if (!claim.fingerprint().equals(stored.get(Idempotency.FINGERPRINT).s())
                || !conversationId.equals(stored.get(Idempotency.CONVERSATION_ID).s())) {
            return new AppendOutcome.KeyReused();
        }
        return new AppendOutcome.Replayed(new SendResult(
                stored.get(Idempotency.MESSAGE_ID).s(),
                stored.get(Idempotency.CONVERSATION_ID).s(),
                Long.parseLong(stored.get(Idempotency.SEQ).n()),
                stored.get(Idempotency.SENDER_ID).s(),
                Instant.parse(stored.get(Idempotency.SENT_AT).s()),
                Qos.fromWire(stored.get(Idempotency.QOS).s())));
    }

    private static void backOff(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MS, 1L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending", e);
        }
    }
}
