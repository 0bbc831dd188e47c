package dev.relay.contract.frame;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What is published on an edge node's channel ({@code RedisKeys.nodeChannel}) or a large
 * conversation's channel. Redis loses these when it is down; that only delays a push, since the
 * message is in DynamoDB and clients sync.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = EdgeCommand.Deliver.class, name = "deliver"),
        @JsonSubTypes.Type(value = EdgeCommand.Fence.class, name = "fence")
})
public sealed interface EdgeCommand {

    /**
     * Write {@code frame} to the local connections of {@code recipients}; a null list (on a
     * conversation channel) means every local member of that conversation.
     */
    record Deliver(List<String> recipients, ServerFrame frame) implements EdgeCommand {
    }

    /** Close (4010) the connection of user+device whose epoch is lower than {@code epoch}. */
    record Fence(String userId, String device, long epoch) implements EdgeCommand {
    }
}
