package dev.relay.platform.dynamo;

import dev.relay.contract.names.Tables.Members;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads a user's memberships: all of them through the {@code by-user} index, or a chosen few from
 * the table itself, strongly consistent. Watermark writes are in {@link MemberStore}.
 */
@ApplicationScoped
public class MembershipStore {

    private static final String PROJECTION = "#c, #d, #r";
    private static final Map<String, String> NAMES = Map.of(
            "#c", Members.CONVERSATION_ID, "#d", Members.DELIVERED_SEQ, "#r", Members.READ_SEQ);

    private final DynamoDbClient dynamoDb;
    private final String table;

    public MembershipStore(DynamoDbClient dynamoDb, TableNames tables) {
        this.dynamoDb = dynamoDb;
        this.table = tables.of(Members.NAME);
    }

    /**
     * Every conversation of {@code userId}, in conversation id order. The index is eventually
     * consistent: a membership added or removed a moment ago may not show yet, so callers that hand
     * out messages confirm the membership with {@link #memberships} first.
     * Cost: one Query per 1 MB of member items, 0.5 RCU per 4 KB.
     */
    public List<Membership> conversationsOf(String userId) {
        List<Membership> memberships = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(Members.BY_USER_INDEX)
                    .keyConditionExpression("#u = :u")
                    .projectionExpression(PROJECTION)
                    .expressionAttributeNames(withUser())
                    .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)));
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse page = dynamoDb.query(query.build());
            page.items().forEach(item -> memberships.add(membership(item)));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return memberships;
    }

    /**
     * The memberships of {@code userId} among {@code conversationIds}, read strongly consistent;
     * a conversation the user does not belong to (any more) is absent from the answer.
     * Cost: one BatchGetItem per 100 ids, 1 RCU per id.
     */
    public Map<String, Membership> memberships(String userId, Collection<String> conversationIds) {
        List<Map<String, AttributeValue>> keys = conversationIds.stream()
                .map(id -> Map.of(Members.CONVERSATION_ID, AttributeValue.fromS(id),
                        Members.USER_ID, AttributeValue.fromS(userId)))
                .toList();
        Map<String, Membership> found = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchGet.items(dynamoDb, table, keys, PROJECTION, NAMES)) {
            Membership membership = membership(item);
            found.put(membership.conversationId(), membership);
        }
        return found;
    }

    private static Map<String, String> withUser() {
        Map<String, String> names = new HashMap<>(NAMES);
        names.put("#u", Members.USER_ID);
        return names;
    }

    private static Membership membership(Map<String, AttributeValue> item) {
        return new Membership(item.get(Members.CONVERSATION_ID).s(),
                ItemValues.number(item, Members.DELIVERED_SEQ), ItemValues.number(item, Members.READ_SEQ));
    }
}
