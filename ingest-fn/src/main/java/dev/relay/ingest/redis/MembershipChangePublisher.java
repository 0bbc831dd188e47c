package dev.relay.ingest.redis;

import dev.relay.contract.names.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Announces a conversation whose membership changed on {@code RedisKeys.MEMBERSHIP_CHANGES}, so
 * fanout member caches drop their entry. Best effort and not awaited: the change is already in
 * DynamoDB, and a cache that misses the announcement still expires its entry.
 */
@ApplicationScoped
public class MembershipChangePublisher {

    private static final Logger LOG = Logger.getLogger(MembershipChangePublisher.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactivePubSubCommands<String> pubsub;

    public MembershipChangePublisher(ReactiveRedisDataSource redis) {
        this.pubsub = redis.pubsub(String.class);
    }

    public void changed(String conversationId) {
        pubsub.publish(RedisKeys.MEMBERSHIP_CHANGES, conversationId)
                .ifNoItem().after(TIMEOUT).fail()
                .subscribe().with(ignored -> { }, error ->
                        LOG.warnf("membership change of %s not announced: %s", conversationId, error.toString()));
    }
}
