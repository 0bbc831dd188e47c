package dev.relay.edge.dynamo;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import dev.relay.platform.dynamo.TableNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** What the edge reads about conversations: which of a user's conversations are large. Blocking: worker threads only. */
@ApplicationScoped
public class ConversationStore {

    private static final int BATCH_GET_LIMIT = 100;

    private final DynamoDbClient dynamoDb;
    private final String members;
    private final String conversations;

    public ConversationStore(DynamoDbClient dynamoDb, TableNames tables) {
        this.dynamoDb = dynamoDb;
        this.members = tables.of(Members.NAME);
        this.conversations = tables.of(Conversations.NAME);
    }

    /** The user's conversations (through the {@code by-user} index) whose {@code memberCount} exceeds {@code threshold}. */
    public List<String> largeConversationsOf(String userId, int threshold) {
        List<String> ids = conversationsOf(userId);
        List<String> large = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH_GET_LIMIT) {
            large.addAll(withMoreMembersThan(ids.subList(from, Math.min(ids.size(), from + BATCH_GET_LIMIT)), threshold));
        }
        return large;
    }

    private List<String> conversationsOf(String userId) {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(members).indexName(Members.BY_USER_INDEX)
                    .keyConditionExpression("#u = :u")
                    .projectionExpression("#c")
                    .expressionAttributeNames(Map.of("#u", Members.USER_ID, "#c", Members.CONVERSATION_ID))
                    .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)));
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse page = dynamoDb.query(query.build());
            page.items().forEach(item -> ids.add(item.get(Members.CONVERSATION_ID).s()));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return ids;
    }

    private List<String> withMoreMembersThan(List<String> ids, int threshold) {
        List<Map<String, AttributeValue>> keys = ids.stream()
                .map(id -> Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(id))).toList();
        Map<String, KeysAndAttributes> request = Map.of(conversations, KeysAndAttributes.builder().keys(keys)
                .projectionExpression("#c, #m")
                .expressionAttributeNames(Map.of("#c", Conversations.CONVERSATION_ID, "#m", Conversations.MEMBER_COUNT))
                .build());
        List<String> large = new ArrayList<>();
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> ask = request;
            BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(ask));
            response.responses().getOrDefault(conversations, List.of()).forEach(item -> {
                AttributeValue count = item.get(Conversations.MEMBER_COUNT);
                if (count != null && count.n() != null && Long.parseLong(count.n()) > threshold) {
                    large.add(item.get(Conversations.CONVERSATION_ID).s());
                }
            });
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return large;
    }
}
