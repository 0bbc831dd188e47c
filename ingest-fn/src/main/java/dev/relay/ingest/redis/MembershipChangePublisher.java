package dev.relay.ingest.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.relay.contract.frame.ServerFrame;
import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.wire.MembershipEvent;
import dev.relay.contract.wire.RelayJson;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Announces each membership change on {@code RedisKeys.MEMBERSHIP_CHANGES} as a {@link MembershipEvent}
 * (JSON): fanout member caches drop the conversation's entry and edge nodes follow the change for
 * the connections they hold. The caller waits for Redis's reply (at most {@link #TIMEOUT}) before
 * answering 204, so any message sent after the 204 is routed after the announcement, on the same
 * Redis, which is what lets an edge drop a removed member's pushes in order. Best effort beyond
 * that: the change is already in DynamoDB, and a cache that misses the announcement still expires.
 */
@ApplicationScoped
public class MembershipChangePublisher {

    private static final Logger LOG = Logger.getLogger(MembershipChangePublisher.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectWriter json = RelayJson.newMapper().writerFor(MembershipEvent.class);

    public MembershipChangePublisher(ReactiveRedisDataSource redis) {
        this.pubsub = redis.pubsub(String.class);
    }

    /** Blocks the calling (virtual) thread until Redis took the announcement, or {@link #TIMEOUT}. */
    public void changed(String conversationId, String userId, boolean added) {
        String payload;
        try {
            payload = json.writeValueAsString(new MembershipEvent(conversationId, userId,
                    added ? ServerFrame.Membership.ADDED : ServerFrame.Membership.REMOVED));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("membership events always serialize", e);
        }
        try {
            pubsub.publish(RedisKeys.MEMBERSHIP_CHANGES, payload).await().atMost(TIMEOUT);
        } catch (RuntimeException error) {
            LOG.warnf("membership change of %s not announced: %s", conversationId, error.toString());
        }
    }
}
