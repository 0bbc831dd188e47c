package dev.relay.ingest.redis;

import dev.relay.contract.names.RedisKeys;
import dev.relay.ingest.config.IngestConfig;
import dev.relay.ingest.config.IngestMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Per-user token buckets in Redis ({@code RedisKeys.rateLimit(kind, userId)}), one per
 * {@link Kind}: {@code burst} tokens, refilled at {@code per-second} (or the user's own bucket from
 * the kind's {@code users} map), one taken per request. Sends and signals have separate buckets, so
 * typing cannot starve sends. Refill and take happen in one Lua script, so concurrent requests of a
 * user on any number of instances share the bucket exactly. The script reads
 * Redis's own clock, so instance clocks do not matter.
 *
 * <p>Fails open: when Redis does not answer within the timeout the send is allowed (logged and
 * counted). Redis holds no message, so losing it must not stop users from sending.
 */
@ApplicationScoped
public class UserRateLimiter {

    private static final Logger LOG = Logger.getLogger(UserRateLimiter.class);

    /** What a bucket limits; {@code key} names it in Redis and in logs. */
    public enum Kind {
        SEND("send"), SIGNAL("signal"), CONVERSATION("conversation"), MEMBER("member");

        private final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    /** KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per second. Returns {allowed 0/1, wait ms}. */
    static final String SCRIPT = """
            local capacity = tonumber(ARGV[1])
            local rate = tonumber(ARGV[2])
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1])
            local at = tonumber(state[2])
            if tokens == nil or at == nil then
              tokens = capacity
              at = now
            end
            tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
            local allowed = 0
            local wait = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            else
              wait = math.ceil((1 - tokens) * 1000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
            return {allowed, wait}
            """;

    private final ReactiveRedisDataSource redis;
    private final IngestConfig.RateLimit config;
    private final IngestMetrics metrics;

    public UserRateLimiter(ReactiveRedisDataSource redis, IngestConfig config, IngestMetrics metrics) {
        this.redis = redis;
        this.config = config.rateLimit();
        this.metrics = metrics;
    }

    /**
     * Takes one token of {@code userId}'s bucket of {@code kind}.
     *
     * @return empty when the request may go ahead, else how many milliseconds until a token is back
     */
    public OptionalLong take(Kind kind, String userId) {
        IngestConfig.RateLimit.Bucket own = switch (kind) {
            case SEND -> config.users().get(userId);
            case SIGNAL -> config.signals().users().get(userId);
            case CONVERSATION -> config.conversations().users().get(userId);
            case MEMBER -> config.members().users().get(userId);
        };
        int burst = own != null ? own.burst() : switch (kind) {
            case SEND -> config.burst();
            case SIGNAL -> config.signals().burst();
            case CONVERSATION -> config.conversations().burst();
            case MEMBER -> config.members().burst();
        };
        double perSecond = own != null ? own.perSecond() : switch (kind) {
            case SEND -> config.perSecond();
            case SIGNAL -> config.signals().perSecond();
            case CONVERSATION -> config.conversations().perSecond();
            case MEMBER -> config.members().perSecond();
        };
        Response answer;
        try {
            answer = redis.execute(Command.EVAL, SCRIPT, "1", RedisKeys.rateLimit(kind.key, userId),
                            Integer.toString(burst), Double.toString(perSecond))
                    .await().atMost(config.timeout());
        } catch (RuntimeException e) {
            metrics.rateLimitFailedOpen();
            LOG.warnf("%s rate limit not checked, letting the request through (Redis: %s)", kind.key, e.toString());
            return OptionalLong.empty();
        }
        if (answer.get(0).toLong() == 1L) {
            return OptionalLong.empty();
        }
        metrics.rateLimited();
        return OptionalLong.of(Math.max(1L, answer.get(1).toLong()));
    }
}
