package dev.relay.platform.dynamo;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.Message;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads of the conversation log, always strongly consistent; ingest-fn's append is its only writer.
 * Because seq n is committed in the same transaction that moves {@code lastSeq} to n, a range up to
 * a {@code lastSeq} read before it is complete: every seq in it exists.
 */
@ApplicationScoped
public class LogStore {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String conversations;

    public LogStore(DynamoDbClient dynamoDb, TableNames tables) {
        this.dynamoDb = dynamoDb;
        this.table = tables.of(Messages.NAME);
        this.conversations = tables.of(Conversations.NAME);
    }

    /**
     * The conversation's committed {@code lastSeq}; null when there is no such conversation.
     * Cost: one consistent GetItem of the conversation item, 1 RCU.
     */
    public Long lastSeq(String conversationId) {
        GetItemResponse response = dynamoDb.getItem(b -> b.tableName(conversations).consistentRead(true)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId)))
                .projectionExpression("#l").expressionAttributeNames(Map.of("#l", Conversations.LAST_SEQ)));
        if (!response.hasItem() || response.item().isEmpty()) {
            return null;
        }
        return ItemValues.number(response.item(), Conversations.LAST_SEQ);
    }

    /**
     * Messages {@code from..to} (both inclusive) of one conversation, ascending by seq.
     * Cost: one Query per 1 MB of messages, 1 RCU per 4 KB.
     */
    public List<Message> range(String conversationId, long from, long to) {
        List<Message> messages = new ArrayList<>((int) Math.max(0, Math.min(to - from + 1, 1024)));
        if (from > to) {
            return messages;
        }
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#c = :c AND #s BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#c", Messages.CONVERSATION_ID, "#s", Messages.SEQ))
                    .expressionAttributeValues(Map.of(
                            ":c", AttributeValue.fromS(conversationId),
                            ":from", AttributeValue.fromN(Long.toString(from)),
                            ":to", AttributeValue.fromN(Long.toString(to))));
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse page = dynamoDb.query(query.build());
            page.items().forEach(item -> messages.add(MessageItems.fromItem(item)));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return messages;
    }

    /**
     * The message at the given seq of each conversation (e.g. each one's {@code lastSeq}).
     * Cost: one BatchGetItem per 100 conversations, 1 RCU per 4 KB of each message.
     */
    public Map<String, Message> at(Map<String, Long> seqByConversation) {
        List<Map<String, AttributeValue>> keys = seqByConversation.entrySet().stream()
                .map(e -> Map.of(Messages.CONVERSATION_ID, AttributeValue.fromS(e.getKey()),
                        Messages.SEQ, AttributeValue.fromN(Long.toString(e.getValue()))))
                .toList();
        Map<String, Message> found = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchGet.items(dynamoDb, table, keys, null, null)) {
            Message message = MessageItems.fromItem(item);
            found.put(message.conversationId(), message);
        }
        return found;
    }
}
