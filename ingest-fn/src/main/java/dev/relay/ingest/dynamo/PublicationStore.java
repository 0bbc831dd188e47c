package dev.relay.ingest.dynamo;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.ingest.append.AppendTransaction;
import dev.relay.ingest.append.SeqRun;
import dev.relay.platform.dynamo.ItemValues;
import dev.relay.platform.dynamo.TableNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * What the conversation item records about Kafka: {@code publishedSeq}, the highest seq such that
 * every seq up to it is known to be on Kafka, and the {@code publishPending} marker (with
 * {@code committedAt}) that the append transaction sets and only a confirmation reaching
 * {@code lastSeq} clears.
 *
 * <p>Invariants: {@code publishedSeq} only rises, and only over seqs that were acked (a confirmation
 * of seqs from..to applies only under {@link SeqRun#condition()}, the same one an append uses); the
 * marker is absent only while {@code publishedSeq >= lastSeq}. {@code committedAt} is the time of
 * the oldest commit not yet covered, reset whenever {@code publishedSeq} advances, so the repair
 * sweep's grace period counts from the last progress.
 */
@ApplicationScoped
public class PublicationStore {

    /** What a confirmation came to. */
    public enum Confirmation {
        /** {@code publishedSeq} now covers the run. */
        CONFIRMED,
        /** Already covered (or the conversation is gone); nothing to do. */
        COVERED,
        /** A seq below the run is not confirmed yet, or the item was busy; try again later. */
        NOT_YET
    }

    private static final int ATTEMPTS = 3;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public PublicationStore(DynamoDbClient dynamoDb, TableNames tables) {
        this.dynamoDb = dynamoDb;
        this.table = tables.of(Conversations.NAME);
        this.clock = Clock.systemUTC();
    }

    /**
     * Records that every seq in {@code from..to} is on Kafka. Clears the marker when that reaches
     * {@code lastSeq}; otherwise raises {@code publishedSeq} and restarts the grace period.
     */
    public Confirmation confirm(String conversationId, long from, long to) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, AttributeValue> old;
            try {
                update(conversationId, from, to, true);
                return Confirmation.CONFIRMED;
            } catch (ConditionalCheckFailedException e) {
                old = e.hasItem() ? e.item() : read(conversationId);
            } catch (TransactionConflictException busy) {
                return Confirmation.NOT_YET;
            }
            if (old == null || old.isEmpty() || ItemValues.number(old, Conversations.PUBLISHED_SEQ) >= to) {
                return Confirmation.COVERED;
            }
            if (ItemValues.number(old, Conversations.PUBLISHED_SEQ) < from - 1) {
                return Confirmation.NOT_YET;
            }
            try {
                update(conversationId, from, to, false);
                return Confirmation.CONFIRMED;
            } catch (ConditionalCheckFailedException moved) {
                // publishedSeq or lastSeq changed in between: decide again with fresh values.
            } catch (TransactionConflictException busy) {
                return Confirmation.NOT_YET;
            }
        }
        return Confirmation.NOT_YET;
    }

    /** Ids of conversations whose oldest unconfirmed commit is older than {@code cutoff}, oldest first. */
    public List<String> pendingBefore(Instant cutoff, int limit) {
        return dynamoDb.query(b -> b.tableName(table).indexName(Conversations.PENDING_PUBLISH_INDEX).limit(limit)
                        .keyConditionExpression("#m = :pending AND #c < :cutoff")
                        .projectionExpression("#id")
                        .expressionAttributeNames(Map.of("#m", Conversations.PUBLISH_PENDING,
                                "#c", Conversations.COMMITTED_AT, "#id", Conversations.CONVERSATION_ID))
                        .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(AppendTransaction.PENDING),
                                ":cutoff", AttributeValue.fromN(Long.toString(cutoff.toEpochMilli())))))
                .items().stream().map(item -> item.get(Conversations.CONVERSATION_ID).s()).toList();
    }

    /** {@code publishedSeq} and {@code lastSeq}, read strongly consistent; null when there is no such conversation. */
    public PublishState state(String conversationId) {
        Map<String, AttributeValue> item = read(conversationId);
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new PublishState(ItemValues.number(item, Conversations.PUBLISHED_SEQ), ItemValues.number(item, Conversations.LAST_SEQ),
                item.containsKey(Conversations.PUBLISH_PENDING));
    }

    /** Publication progress of one conversation. */
    public record PublishState(long publishedSeq, long lastSeq, boolean pending) {
    }

    private void update(String conversationId, long from, long to, boolean reachesLastSeq) {
        SeqRun run = new SeqRun(from, to);
        Map<String, String> names = new HashMap<>(SeqRun.conditionNames());
        names.putAll(Map.of("#l", Conversations.LAST_SEQ, "#c", Conversations.COMMITTED_AT));
        Map<String, AttributeValue> values = new HashMap<>(run.conditionValues());
        String update;
        String condition;
        if (reachesLastSeq) {
            names.put("#m", Conversations.PUBLISH_PENDING);
            update = "SET #ps = :runTo REMOVE #m, #c";
            condition = "#l = :runTo AND " + run.condition();
        } else {
            values.put(":now", AttributeValue.fromN(Long.toString(clock.millis())));
            update = "SET #ps = :runTo, #c = :now";
            condition = "attribute_exists(#l) AND " + run.condition();
        }
        dynamoDb.updateItem(b -> b.tableName(table)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId)))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    private Map<String, AttributeValue> read(String conversationId) {
        return dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId)))
                .projectionExpression("#p, #l, #m")
                .expressionAttributeNames(Map.of("#p", Conversations.PUBLISHED_SEQ, "#l", Conversations.LAST_SEQ,
                        "#m", Conversations.PUBLISH_PENDING))).item();
    }
}
