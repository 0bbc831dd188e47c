package dev.relay.sync.dynamo;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.platform.dynamo.BatchGet;
import dev.relay.platform.dynamo.ItemValues;
import dev.relay.platform.dynamo.TableNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads conversation items' heads ({@code lastSeq}, title, activity) many at a time. */
@ApplicationScoped
public class ConversationHeadStore {

    private static final String PROJECTION = "#c, #l, #t, #a, #k";
    private static final Map<String, String> NAMES = Map.of(
            "#c", Conversations.CONVERSATION_ID,
            "#l", Conversations.LAST_SEQ,
            "#t", Conversations.TITLE,
            "#a", Conversations.LAST_ACTIVITY_AT,
            "#k", Conversations.CREATED_AT);

    private final DynamoDbClient dynamoDb;
    private final String table;

    public ConversationHeadStore(DynamoDbClient dynamoDb, TableNames tables) {
        this.dynamoDb = dynamoDb;
        this.table = tables.of(Conversations.NAME);
    }

    /**
     * The heads of {@code conversationIds}, read strongly consistent: each {@code lastSeq} is
     * committed, so the log holds every seq up to it. Unknown ids are absent from the answer.
     * Cost: one BatchGetItem per 100 ids, 1 RCU per conversation item (they are far below 4 KB).
     */
    public Map<String, ConversationHead> heads(Collection<String> conversationIds) {
        List<Map<String, AttributeValue>> keys = conversationIds.stream()
                .map(id -> Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(id)))
                .toList();
        Map<String, ConversationHead> heads = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchGet.items(dynamoDb, table, keys, PROJECTION, NAMES)) {
            ConversationHead head = head(item);
            heads.put(head.conversationId(), head);
        }
        return heads;
    }

    private static ConversationHead head(Map<String, AttributeValue> item) {
        return new ConversationHead(ItemValues.string(item, Conversations.CONVERSATION_ID),
                ItemValues.string(item, Conversations.TITLE),
                ItemValues.number(item, Conversations.LAST_SEQ),
                activity(item));
    }

    /** {@code lastActivityAt}, else {@code createdAt}; either ISO-8601 text or epoch milliseconds. */
    private static Instant activity(Map<String, AttributeValue> item) {
        for (String attribute : List.of(Conversations.LAST_ACTIVITY_AT, Conversations.CREATED_AT)) {
            AttributeValue value = item.get(attribute);
            if (value != null && value.s() != null) {
                return Instant.parse(value.s());
            }
            if (value != null && value.n() != null) {
                return Instant.ofEpochMilli(ItemValues.number(item, attribute));
            }
        }
        return Instant.EPOCH;
    }
}
