package dev.relay.fanout.dynamo;

import dev.relay.contract.names.Tables.Conversations;
import dev.relay.fanout.route.Audience;
import dev.relay.fanout.route.DependencyUnavailableException;
import dev.relay.platform.delivery.DeliveryConfig;
import dev.relay.platform.dynamo.ItemValues;
import dev.relay.platform.dynamo.MemberStore;
import dev.relay.platform.dynamo.TableNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Reads who a conversation's pushes go to. The conversation item's {@code memberCount} decides the
 * path first, so a large conversation's member list is never read per message.
 */
@ApplicationScoped
public class AudienceStore {

    /** The dependency name readiness and the routing pause use. */
    public static final String DYNAMODB = "dynamodb";

    private final DynamoDbClient dynamoDb;
    private final MemberStore members;
    private final String conversations;
    private final int largeConversationMembers;

    public AudienceStore(DynamoDbClient dynamoDb, MemberStore members, TableNames tables, DeliveryConfig config) {
        this.dynamoDb = dynamoDb;
        this.members = members;
        this.conversations = tables.of(Conversations.NAME);
        this.largeConversationMembers = config.largeConversationMembers();
    }

    /**
     * {@link Audience.Large} when the conversation item's {@code memberCount} is above the threshold;
     * otherwise every member (strongly consistent reads, so a member added before the message was
     * committed is included). A conversation without an item or a count is read member by member.
     *
     * @throws DependencyUnavailableException DynamoDB unreachable, throttling or failing on its side (5xx)
     */
    public Audience load(String conversationId) {
        try {
            return read(conversationId);
        } catch (SdkClientException unreachable) {
            throw new DependencyUnavailableException(DYNAMODB, "DynamoDB unreachable: " + unreachable.getMessage(), unreachable);
        } catch (AwsServiceException service) {
            if (service.isThrottlingException() || service.statusCode() >= 500) {
                throw new DependencyUnavailableException(DYNAMODB, "DynamoDB unavailable: " + service.getMessage(), service);
            }
            throw service;
        }
    }

    private Audience read(String conversationId) {
        long count = memberCount(conversationId);
        if (count > largeConversationMembers) {
            return new Audience.Large(count);
        }
        return new Audience.Members(members.members(conversationId));
    }

    private long memberCount(String conversationId) {
        GetItemResponse response = dynamoDb.getItem(b -> b.tableName(conversations).consistentRead(true)
                .key(Map.of(Conversations.CONVERSATION_ID, AttributeValue.fromS(conversationId)))
                .projectionExpression("#n")
                .expressionAttributeNames(Map.of("#n", Conversations.MEMBER_COUNT)));
        return response.hasItem() ? ItemValues.number(response.item(), Conversations.MEMBER_COUNT, -1) : -1;
    }
}
