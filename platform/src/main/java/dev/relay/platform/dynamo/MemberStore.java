package dev.relay.platform.dynamo;

import dev.relay.contract.names.Tables.Members;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Membership items at ({@code conversationId}, {@code userId}) and their watermarks. Watermarks only
 * ever rise: every raise is a conditional update that is a no-op when the stored value is already
 * at least as high, so concurrent and late writers can never lower them.
 */
@ApplicationScoped
public class MemberStore {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public MemberStore(DynamoDbClient dynamoDb, TableNames tables) {
        this.dynamoDb = dynamoDb;
        this.table = tables.of(Members.NAME);
    }

    /** Strongly consistent: a member removed a moment ago is no longer one. */
    public boolean isMember(String conversationId, String userId) {
        return dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(conversationId, userId))
                .projectionExpression("#u").expressionAttributeNames(Map.of("#u", Members.USER_ID)))
                .hasItem();
    }

    /** Every member's user id, in user id order. */
    public List<String> members(String conversationId) {
        List<String> users = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#c = :c")
                    .projectionExpression("#u")
                    .expressionAttributeNames(Map.of("#c", Members.CONVERSATION_ID, "#u", Members.USER_ID))
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(conversationId)));
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse page = dynamoDb.query(query.build());
            page.items().forEach(item -> users.add(item.get(Members.USER_ID).s()));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return users;
    }

    /**
     * Raises {@code deliveredSeq} to {@code seq} when it is lower; never lowers it.
     *
     * @return true when the stored value changed
     */
    public boolean raiseDeliveredSeq(String conversationId, String userId, long seq) {
        return raise(conversationId, userId, Members.DELIVERED_SEQ, seq);
    }

    /**
     * Raises {@code readSeq} to {@code seq} when it is lower; never lowers it. Reading implies
     * delivery, so {@code deliveredSeq} is raised with it.
     *
     * @return true when the stored value changed
     */
    public boolean raiseReadSeq(String conversationId, String userId, long seq) {
        boolean changed = raise(conversationId, userId, Members.READ_SEQ, seq);
        raise(conversationId, userId, Members.DELIVERED_SEQ, seq);
        return changed;
    }

    private boolean raise(String conversationId, String userId, String attribute, long seq) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(key(conversationId, userId))
                    .updateExpression("SET #w = :s")
                    .conditionExpression("attribute_exists(#u) AND (attribute_not_exists(#w) OR #w < :s)")
                    .expressionAttributeNames(Map.of("#w", attribute, "#u", Members.USER_ID))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromN(Long.toString(seq)))));
            return true;
        } catch (ConditionalCheckFailedException alreadyHigherOrNotAMember) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String conversationId, String userId) {
        return Map.of(Members.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                Members.USER_ID, AttributeValue.fromS(userId));
    }
}
