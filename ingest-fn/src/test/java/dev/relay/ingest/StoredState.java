package dev.relay.ingest;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Idempotency;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.names.Tables.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Test fixture: what is really in DynamoDB Local, read strongly consistent. */
final class StoredState {

    private final DynamoDbClient dynamoDb;

    StoredState(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    Map<String, AttributeValue> conversation(String conversationId) {
        return dynamoDb.getItem(b -> b.tableName(Conversations.NAME).consistentRead(true)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId)))).item();
    }

    long lastSeq(String conversationId) {
        return Long.parseLong(conversation(conversationId).get(Conversations.LAST_SEQ).n());
    }

    Map<String, AttributeValue> member(String conversationId, String userId) {
        return dynamoDb.getItem(b -> b.tableName(Members.NAME).consistentRead(true)
                .key(Map.of(Members.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                        Members.USER_ID, AttributeValue.fromS(userId)))).item();
    }

    /** Every stored seq of the conversation, ascending. */
    List<Long> seqs(String conversationId) {
        List<Long> seqs = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamoDb.query(b -> b.tableName(Messages.NAME).consistentRead(true)
                    .keyConditionExpression("#c = :c")
                    .expressionAttributeNames(Map.of("#c", Messages.CONVERSATION_ID))
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(conversationId)))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> seqs.add(Long.parseLong(item.get(Messages.SEQ).n())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return seqs;
    }

    Map<String, AttributeValue> message(String conversationId, long seq) {
        return dynamoDb.getItem(b -> b.tableName(Messages.NAME).consistentRead(true)
                .key(Map.of(Messages.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                        Messages.SEQ, AttributeValue.fromN(Long.toString(seq))))).item();
    }

    boolean idempotencyRecordExists(String senderId, String key) {
        return dynamoDb.getItem(b -> b.tableName(Idempotency.NAME).consistentRead(true)
                .key(Map.of(Idempotency.SENDER_ID, AttributeValue.fromS(senderId),
                        Idempotency.IDEMPOTENCY_KEY, AttributeValue.fromS(key)))).hasItem();
    }

    static long number(Map<String, AttributeValue> item, String attribute) {
        return Long.parseLong(item.get(attribute).n());
    }
}
