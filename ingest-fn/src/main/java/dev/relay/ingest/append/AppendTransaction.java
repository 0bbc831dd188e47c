package dev.relay.ingest.append;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Idempotency;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.Message;
import dev.relay.platform.dynamo.MessageItems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The one {@code TransactWriteItems} that appends a message at seq n ({@link MessageAppender} says why
 * each item is there): the message put if absent; the conversation's {@code lastSeq} moved from
 * n-1 to n and marked pending publish (recording a run of acked seqs when given); the sender's
 * member item raised to n, which must exist; and, for exactly-once, the idempotency record put if
 * absent. Items are at fixed positions, so a cancellation reason names the condition that failed.
 * Plain code with no container: the DynamoDB floor of the ingest benchmark commits the same transaction.
 */
public final class AppendTransaction {

    /** Marker value of {@code publishPending}; present means "lastSeq may be ahead of Kafka". */
    public static final String PENDING = "1";

    static final int MESSAGE = 0;
    static final int CONVERSATION = 1;
    static final int MEMBER = 2;
    static final int CLAIM = 3;

    private final String messages;
    private final String conversations;
    private final String members;
    private final String idempotency;

    /** @param tableName the physical table name of a contract table name */
    public AppendTransaction(UnaryOperator<String> tableName) {
        this.messages = tableName.apply(Messages.NAME);
        this.conversations = tableName.apply(Conversations.NAME);
        this.members = tableName.apply(Members.NAME);
        this.idempotency = tableName.apply(Idempotency.NAME);
    }

    /**
     * The transaction that appends {@code message}: claiming {@code claim} when given (exactly-once),
     * and recording {@code run} as published when given.
     */
    public List<TransactWriteItem> items(Message message, IdempotencyClaim claim, SeqRun run) {
        AttributeValue seq = AttributeValue.fromN(Long.toString(message.seq()));
        List<TransactWriteItem> items = new ArrayList<>(4);
        items.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(messages)
                .item(MessageItems.toItem(message))
                .conditionExpression("attribute_not_exists(#s)")
                .expressionAttributeNames(Map.of("#s", Messages.SEQ))
                .build()).build());
        items.add(TransactWriteItem.builder().update(conversationUpdate(message, run)).build());
        items.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(members)
                .key(Map.of(Members.CONVERSATION_ID, AttributeValue.fromS(message.conversationId()),
                        Members.USER_ID, AttributeValue.fromS(message.senderId())))
                .updateExpression("SET #r = :seq, #d = :seq")
                .conditionExpression("attribute_exists(#u)")
                .expressionAttributeNames(Map.of("#r", Members.READ_SEQ, "#d", Members.DELIVERED_SEQ,
                        "#u", Members.USER_ID))
                .expressionAttributeValues(Map.of(":seq", seq))
                .build()).build());
        if (claim != null) {
            items.add(TransactWriteItem.builder().put(Put.builder()
                    .tableName(idempotency)
                    .item(IdempotencyItems.toItem(message, claim))
                    .conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", Idempotency.IDEMPOTENCY_KEY))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).build());
        }
        return items;
    }

    /** Moves lastSeq from seq-1 to seq and marks the item pending; records {@code run} as published when given. */
    private Update conversationUpdate(Message message, SeqRun run) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#l", Conversations.LAST_SEQ,
                "#a", Conversations.LAST_ACTIVITY_AT,
                "#p", Conversations.PUBLISH_PENDING,
                "#c", Conversations.COMMITTED_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":seq", AttributeValue.fromN(Long.toString(message.seq())),
                ":prev", AttributeValue.fromN(Long.toString(message.seq() - 1)),
                ":now", AttributeValue.fromS(message.sentAt().toString()),
                ":pending", AttributeValue.fromS(PENDING),
                ":nowMillis", AttributeValue.fromN(Long.toString(message.sentAt().toEpochMilli()))));
        String update = "SET #l = :seq, #a = :now, #p = :pending, #c = if_not_exists(#c, :nowMillis)";
        String condition = "#l = :prev";
        if (run != null) {
            names.putAll(SeqRun.conditionNames());
            values.putAll(run.conditionValues());
            update = "SET #l = :seq, #a = :now, #p = :pending, #c = :nowMillis, #ps = :runTo";
            condition = "#l = :prev AND " + run.condition();
        }
        return Update.builder()
                .tableName(conversations)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(message.conversationId())))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }
}
