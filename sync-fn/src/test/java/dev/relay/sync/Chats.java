package dev.relay.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.names.Tables.Messages;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.platform.dynamo.ConversationStore;
import dev.relay.platform.dynamo.LogStore;
import dev.relay.platform.dynamo.MessageItems;
import dev.relay.platform.dynamo.TableNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Test fixture that writes conversations and messages as sync-fn finds them: membership through
 * platform {@code ConversationStore}; each message in one transaction that, like ingest-fn's append,
 * puts the message item (platform {@code MessageItems}), moves {@code lastSeq} from n-1 to n and
 * raises the sender's own {@code readSeq}/{@code deliveredSeq} to n, so a reader never sees n
 * without n-1. sync-fn does not depend on ingest-fn: this writes only the attributes sync-fn reads
 * (no idempotency record, no publish marker).
 */
@ApplicationScoped
public class Chats {

    private static final int MAX_ATTEMPTS = 100;

    private final ConversationStore conversations;
    private final LogStore log;
    private final DynamoDbClient dynamoDb;
    private final TableNames tables;

    public Chats(ConversationStore conversations, LogStore log, DynamoDbClient dynamoDb, TableNames tables) {
        this.conversations = conversations;
        this.log = log;
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    /** A user id no other test uses. */
    public static String user(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String create(String creator, String... members) {
        return conversations.create(creator, "chat of " + creator, List.of(members)).conversationId();
    }

    public void remove(String conversationId, String userId) {
        assertThat(conversations.removeMember(conversationId, userId)).isEqualTo(ConversationStore.MembershipChange.CHANGED);
    }

    /** Appends an at-least-once message of a member at the next seq; a race lost to another writer takes the one after. */
    public Message send(String conversationId, String senderId, String body) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Long lastSeq = log.lastSeq(conversationId);
            assertThat(lastSeq).as("conversation %s exists", conversationId).isNotNull();
            Message message = new Message(UUID.randomUUID().toString(), conversationId, lastSeq + 1, senderId, body,
                    null, Instant.now().truncatedTo(ChronoUnit.MILLIS), Qos.AT_LEAST_ONCE);
            try {
                dynamoDb.transactWriteItems(b -> b.transactItems(appendItems(message)));
                return message;
            } catch (TransactionCanceledException lost) {
                assertThat(lost.cancellationReasons().get(2).code()).as("%s is a member", senderId)
                        .isNotEqualTo("ConditionalCheckFailed");
            }
        }
        throw new AssertionError("no seq won in " + MAX_ATTEMPTS + " attempts for " + conversationId);
    }

    private List<TransactWriteItem> appendItems(Message message) {
        AttributeValue seq = AttributeValue.fromN(Long.toString(message.seq()));
        AttributeValue conversation = AttributeValue.fromS(message.conversationId());
        return List.of(
                TransactWriteItem.builder().put(put -> put.tableName(tables.of(Messages.NAME))
                        .item(MessageItems.toItem(message))
                        .conditionExpression("attribute_not_exists(#s)")
                        .expressionAttributeNames(Map.of("#s", Messages.SEQ))).build(),
                TransactWriteItem.builder().update(update -> update.tableName(tables.of(Conversations.NAME))
                        .key(Map.of(Conversations.CONVERSATION_ID, conversation))
                        .updateExpression("SET #l = :seq, #a = :at")
                        .conditionExpression("#l = :previous")
                        .expressionAttributeNames(Map.of("#l", Conversations.LAST_SEQ, "#a", Conversations.LAST_ACTIVITY_AT))
                        .expressionAttributeValues(Map.of(":seq", seq,
                                ":previous", AttributeValue.fromN(Long.toString(message.seq() - 1)),
                                ":at", AttributeValue.fromS(message.sentAt().toString())))).build(),
                TransactWriteItem.builder().update(update -> update.tableName(tables.of(Members.NAME))
                        .key(Map.of(Members.CONVERSATION_ID, conversation,
                                Members.USER_ID, AttributeValue.fromS(message.senderId())))
                        .updateExpression("SET #r = :seq, #d = :seq")
                        .conditionExpression("attribute_exists(#u)")
                        .expressionAttributeNames(Map.of("#r", Members.READ_SEQ, "#d", Members.DELIVERED_SEQ,
                                "#u", Members.USER_ID))
                        .expressionAttributeValues(Map.of(":seq", seq))).build());
    }

    /**
     * Sends {@code perConversation} messages from {@code senderId} to each conversation, conversations
     * spread over {@code threads} writer threads (each conversation's messages in order).
     *
     * @return the committed messages by conversation, ascending by seq
     */
    public Map<String, List<Message>> sendMany(List<String> conversationIds, String senderId, int perConversation,
                                               int threads) throws Exception {
        Map<String, List<Message>> sent = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (String conversationId : conversationIds) {
                work.add(writers.submit(() -> {
                    List<Message> messages = new ArrayList<>(perConversation);
                    for (int i = 0; i < perConversation; i++) {
                        messages.add(send(conversationId, senderId, "m" + i + " of " + conversationId));
                    }
                    sent.put(conversationId, Collections.unmodifiableList(messages));
                }));
            }
            for (Future<?> future : work) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }
        return sent;
    }

    /** Creates {@code count} conversations of {@code creator} with {@code members}, on {@code threads} threads. */
    public List<String> createMany(int count, int threads, String creator, String... members) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                created.add(writers.submit(() -> create(creator, members)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> future : created) {
                ids.add(future.get(2, TimeUnit.MINUTES));
            }
            return ids;
        } finally {
            writers.shutdownNow();
        }
    }
}
