package dev.relay.edge;

import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.Tables.Conversations;
import dev.relay.contract.names.Tables.Members;
import dev.relay.contract.wire.Message;
import dev.relay.contract.wire.Qos;
import dev.relay.localstack.LocalStack;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Test data in the real DynamoDB Local, and the frames tests route. */
final class Fixtures {

    private static DynamoDbClient dynamoDb;

    private Fixtures() {
    }

    static synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = LocalStack.shared().dynamoDb().client();
        }
        return dynamoDb;
    }

    /** A unique id, so tests never see each other's users or conversations. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ServerFrame.MessagePush message(String conversationId, long seq) {
        return message(conversationId, seq, "body " + seq);
    }

    static ServerFrame.MessagePush message(String conversationId, long seq, String body) {
        return message(conversationId, seq, body, "sender");
    }

    static ServerFrame.MessagePush message(String conversationId, long seq, String body, String senderId) {
        return new ServerFrame.MessagePush(new Message("m-" + conversationId + "-" + seq, conversationId, seq, senderId,
                body, null, Instant.now(), Qos.EXACTLY_ONCE));
    }

    static void putMember(String conversationId, String userId) {
        dynamoDb().putItem(b -> b.tableName(Members.NAME).item(Map.of(
                Members.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                Members.USER_ID, AttributeValue.fromS(userId),
                Members.JOINED_AT, AttributeValue.fromS(Instant.now().toString()))));
    }

    static void putConversation(String conversationId, int memberCount) {
        dynamoDb().putItem(b -> b.tableName(Conversations.NAME).item(Map.of(
                Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                Conversations.MEMBER_COUNT, AttributeValue.fromN(Integer.toString(memberCount)),
                Conversations.LAST_SEQ, AttributeValue.fromN("0"))));
    }

    static void deleteMember(String conversationId, String userId) {
        dynamoDb().deleteItem(b -> b.tableName(Members.NAME).key(Map.of(
                Members.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                Members.USER_ID, AttributeValue.fromS(userId))));
    }

    /** A membership announcement as ingest-fn publishes it, once the change is stored. */
    static String membershipEvent(String conversationId, String userId, String change) {
        return "{\"conversationId\":\"" + conversationId + "\",\"userId\":\"" + userId
                + "\",\"change\":\"" + change + "\"}";
    }

    /** The member's deliveredSeq, 0 when unset. */
    static long deliveredSeq(String conversationId, String userId) {
        Map<String, AttributeValue> item = dynamoDb().getItem(b -> b.tableName(Members.NAME).consistentRead(true)
                .key(Map.of(Members.CONVERSATION_ID, AttributeValue.fromS(conversationId),
                        Members.USER_ID, AttributeValue.fromS(userId)))).item();
        AttributeValue value = item.get(Members.DELIVERED_SEQ);
        return value == null ? 0 : Long.parseLong(value.n());
    }
}
