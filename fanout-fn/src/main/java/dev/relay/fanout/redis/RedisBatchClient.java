package dev.relay.fanout.redis;

import dev.relay.fanout.config.FanoutConfig;
import dev.relay.fanout.route.DependencyUnavailableException;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends commands to Redis pipelined on one pooled connection, one round trip for the whole list,
 * and waits for the replies on the calling (worker or virtual) thread, never longer than
 * {@code relay.fanout.redis-timeout}. A failed call or any error reply fails the whole batch: an error
 * reply (Redis answered) as {@link RedisCallException}, no answer at all (connection refused or closed,
 * pool exhausted, timeout) as {@link DependencyUnavailableException} for {@code redis}.
 */
@ApplicationScoped
public class RedisBatchClient {

    /** The dependency name readiness and the routing pause use. */
    public static final String REDIS = "redis";

    private final Redis redis;
    private final long timeoutMillis;

    public RedisBatchClient(Redis redis, FanoutConfig config) {
        this.redis = redis;
        this.timeoutMillis = config.redisTimeout().toMillis();
    }

    /** @return one reply per request, in request order */
    public List<Response> send(List<Request> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        List<Response> replies;
        try {
            replies = redis.batch(requests).toCompletionStage().toCompletableFuture()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCallException("interrupted waiting for Redis", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Response) {
                // An error reply (WRONGTYPE, OOM, ...): Redis is there, this call is what fails.
                throw new RedisCallException("Redis call failed: " + e.getCause(), e.getCause());
            }
            throw new DependencyUnavailableException(REDIS, "Redis unreachable: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new DependencyUnavailableException(REDIS, "no Redis reply within " + timeoutMillis + " ms", e);
        }
        for (Response reply : replies) {
            if (reply != null && reply.type() == ResponseType.ERROR) {
                throw new RedisCallException("Redis replied with an error: " + reply, null);
            }
        }
        return replies;
    }

    /** A Redis round trip that did not succeed; transient as far as routing is concerned. */
    public static final class RedisCallException extends RuntimeException {

        RedisCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
