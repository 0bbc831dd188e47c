package dev.relay.platform.dynamo;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.wire.Conversation;
import dev.relay.contract.wire.CreateConversationRequest;
import dev.relay.platform.retry.RetryBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Conversation items and the membership writes that keep their {@code memberCount}.
 *
 * <p>Creation writes every member item first (BatchWriteItem) and the conversation item last, as
 * the commit point: until that last put succeeds the conversation does not exist for anyone
 * ({@link #find}, and ingest-fn's append answers {@code NoConversation}). A creation that
 * fails halfway leaves only member items of a conversation that never appears; readers of the
 * {@code by-user} index skip member items whose conversation item is missing.
 *
 * <p>Adding and removing a member is one transaction with the {@code memberCount} change, so the
 * count always equals the number of member items of a visible conversation.
 */
@ApplicationScoped
public class ConversationStore {

    /** DynamoDB's BatchWriteItem limit. */
    private static final int BATCH_SIZE = 25;
    /** Membership transactions and member batches: 10 attempts, 2 s in all, jittered back-off of 16 to 100 ms. */
    private static final RetryBudget RETRIES =
            new RetryBudget(10, Duration.ofSeconds(2), Duration.ofMillis(8), Duration.ofMillis(100));

    private final DynamoDbClient dynamoDb;
    private final String conversations;
    private final String members;
    private final Clock clock;

    @Inject
    public ConversationStore(DynamoDbClient dynamoDb, TableNames tables) {
        this(dynamoDb, tables, Clock.systemUTC());
    }

    ConversationStore(DynamoDbClient dynamoDb, TableNames tables, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.conversations = tables.of(Conversations.NAME);
        this.members = tables.of(Members.NAME);
        this.clock = clock;
    }

    /** What a membership write came to. */
    public enum MembershipChange {
        /** The member item was written or deleted, and {@code memberCount} moved with it. */
        CHANGED,
        /** Already a member (add) or not a member (remove); nothing was written. */
        UNCHANGED,
        /** No such conversation; nothing was written. */
        NO_CONVERSATION,
        /** The conversation already has {@link CreateConversationRequest#MAX_MEMBERS}; nothing was written. */
        FULL
    }

    /**
     * Creates a conversation with {@code createdBy} and {@code members} (duplicates dropped, the
     * creator first). Member items start with {@code deliveredSeq = readSeq = 0}; the conversation
     * item with {@code lastSeq = 0}. Ids are not validated here; the caller has done that.
     *
     * @throws IllegalArgumentException when there would be more than {@link CreateConversationRequest#MAX_MEMBERS}
     *         (a bug of the caller, which checks first)
     * @throws StoreContendedException when the member items could not all be written (throttled); the
     *         conversation then does not exist
     */
    public Conversation create(String createdBy, String title, Collection<String> members) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        all.add(createdBy);
        all.addAll(members);
        if (all.size() > CreateConversationRequest.MAX_MEMBERS) {
            throw new IllegalArgumentException("a conversation has at most " + CreateConversationRequest.MAX_MEMBERS
                    + " members, not " + all.size());
        }
        String conversationId = UUID.randomUUID().toString();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<String> ordered = List.copyOf(all);
        for (int from = 0; from < ordered.size(); from += BATCH_SIZE) {
            List<WriteRequest> batch = new ArrayList<>(BATCH_SIZE);
            for (String userId : ordered.subList(from, Math.min(from + BATCH_SIZE, ordered.size()))) {
                batch.add(WriteRequest.builder()
                        .putRequest(PutRequest.builder().item(memberItem(conversationId, userId, now)).build())
                        .build());
            }
            writeBatch(batch);
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId));
        item.put(Conversations.LAST_SEQ, ItemValues.number(0));
        item.put(Conversations.PUBLISHED_SEQ, ItemValues.number(0));
        item.put(Conversations.CREATED_BY, AttributeValue.fromS(createdBy));
        item.put(Conversations.CREATED_AT, AttributeValue.fromS(now.toString()));
        item.put(Conversations.LAST_ACTIVITY_AT, AttributeValue.fromS(now.toString()));
        item.put(Conversations.MEMBER_COUNT, ItemValues.number(ordered.size()));
        if (title != null) {
            item.put(Conversations.TITLE, AttributeValue.fromS(title));
        }
        dynamoDb.putItem(b -> b.tableName(conversations).item(item)
                .conditionExpression("attribute_not_exists(#c)")
                .expressionAttributeNames(Map.of("#c", Conversations.CONVERSATION_ID)));
        return new Conversation(conversationId, title, ordered, 0, now);
    }

    /** The conversation item, read strongly consistent; empty when it does not exist (or is half-created). */
    public Optional<ConversationRecord> find(String conversationId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(conversations).consistentRead(true)
                .key(conversationKey(conversationId))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue title = item.get(Conversations.TITLE);
        return Optional.of(new ConversationRecord(
                conversationId,
                title == null ? null : title.s(),
                item.get(Conversations.CREATED_BY).s(),
                Instant.parse(item.get(Conversations.CREATED_AT).s()),
                Instant.parse(item.get(Conversations.LAST_ACTIVITY_AT).s()),
                ItemValues.number(item, Conversations.LAST_SEQ),
                ItemValues.number(item, Conversations.PUBLISHED_SEQ),
                ItemValues.number(item, Conversations.MEMBER_COUNT)));
    }

    /**
     * Those of {@code conversationIds} with more than {@code threshold} members (unknown ids are
     * left out). Cost: one BatchGetItem per 100 ids, 1 RCU per conversation item.
     */
    public List<String> withMoreMembersThan(Collection<String> conversationIds, long threshold) {
        List<Map<String, AttributeValue>> keys = conversationIds.stream().map(ConversationStore::conversationKey).toList();
        return BatchGet.items(dynamoDb, conversations, keys, "#c, #m",
                        Map.of("#c", Conversations.CONVERSATION_ID, "#m", Conversations.MEMBER_COUNT)).stream()
                .filter(item -> ItemValues.number(item, Conversations.MEMBER_COUNT) > threshold)
                .map(item -> item.get(Conversations.CONVERSATION_ID).s())
                .toList();
    }

    /**
     * Adds {@code userId} with {@code deliveredSeq = readSeq = 0}, in one transaction with
     * {@code memberCount + 1} conditioned on the conversation existing and not being full.
     */
    public MembershipChange addMember(String conversationId, String userId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(members)
                        .item(memberItem(conversationId, userId, now))
                        .conditionExpression("attribute_not_exists(#u)")
                        .expressionAttributeNames(Map.of("#u", Members.USER_ID))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(conversations)
                        .key(conversationKey(conversationId))
                        .updateExpression("SET #n = #n + :one")
                        .conditionExpression("attribute_exists(#c) AND #n < :max")
                        .expressionAttributeNames(Map.of("#n", Conversations.MEMBER_COUNT,
                                "#c", Conversations.CONVERSATION_ID))
                        .expressionAttributeValues(Map.of(":one", ItemValues.number(1),
                                ":max", ItemValues.number(CreateConversationRequest.MAX_MEMBERS)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        return membershipTransaction(items, true);
    }

    /** Removes {@code userId}, in one transaction with {@code memberCount - 1}. */
    public MembershipChange removeMember(String conversationId, String userId) {
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(members)
                        .key(memberKey(conversationId, userId))
                        .conditionExpression("attribute_exists(#u)")
                        .expressionAttributeNames(Map.of("#u", Members.USER_ID))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(conversations)
                        .key(conversationKey(conversationId))
                        .updateExpression("SET #n = #n - :one")
                        .conditionExpression("attribute_exists(#c)")
                        .expressionAttributeNames(Map.of("#n", Conversations.MEMBER_COUNT,
                                "#c", Conversations.CONVERSATION_ID))
                        .expressionAttributeValues(Map.of(":one", ItemValues.number(1)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        return membershipTransaction(items, false);
    }

    /**
     * Runs a member-item write plus conversation update; item 0 is the member, item 1 the
     * conversation. Conflicts with concurrent sends on the conversation item are retried a bounded
     * number of times, then surface as {@link StoreContendedException} (503 for the client), with
     * nothing written.
     *
     * @throws StoreContendedException when every attempt was cancelled by a conflict
     */
    private MembershipChange membershipTransaction(List<TransactWriteItem> items, boolean adding) {
        RetryBudget.Run attempts = RETRIES.start();
        while (true) {
            try {
                dynamoDb.transactWriteItems(b -> b.transactItems(items));
                return MembershipChange.CHANGED;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                boolean memberFailed = failedCondition(reasons, 0);
                if (failedCondition(reasons, 1)) {
                    Map<String, AttributeValue> old = reasons.get(1).item();
                    if (old == null || old.isEmpty()) {
                        return MembershipChange.NO_CONVERSATION;
                    }
                    return memberFailed || !adding ? MembershipChange.UNCHANGED : MembershipChange.FULL;
                }
                if (memberFailed) {
                    return MembershipChange.UNCHANGED;
                }
                if (!attempts.mayRetry()) {
                    throw new StoreContendedException("membership write cancelled by concurrent writes "
                            + attempts.attempts() + " times");
                }
                attempts.backOff();
            }
        }
    }

    private void writeBatch(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(members, batch);
        RetryBudget.Run attempts = RETRIES.start();
        while (true) {
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request));
            if (!response.hasUnprocessedItems() || response.unprocessedItems().isEmpty()) {
                return;
            }
            pending = response.unprocessedItems();
            if (!attempts.mayRetry()) {
                // Throttled: the conversation item is not written yet, so nobody sees the member items written so far.
                throw new StoreContendedException("member items still unprocessed after " + attempts.attempts() + " attempts");
            }
            attempts.backOff();
        }
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static Map<String, AttributeValue> memberItem(String conversationId, String userId, Instant joinedAt) {
        Map<String, AttributeValue> item = new HashMap<>(memberKey(conversationId, userId));
        item.put(Members.DELIVERED_SEQ, ItemValues.number(0));
        item.put(Members.READ_SEQ, ItemValues.number(0));
        item.put(Members.JOINED_AT, AttributeValue.fromS(joinedAt.toString()));
        return item;
    }

    private static Map<String, AttributeValue> memberKey(String conversationId, String userId) {
        return Map.of(Members.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                Members.USER_ID, AttributeValue.fromS(userId));
    }

    private static Map<String, AttributeValue> conversationKey(String conversationId) {
        return Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId));
    }
}
