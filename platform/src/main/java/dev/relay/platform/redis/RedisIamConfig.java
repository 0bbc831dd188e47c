package dev.relay.platform.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * ElastiCache IAM authentication of the default Redis client ({@code quarkus.redis.*}): on when both
 * {@code user} and {@code cache-name} are set ({@code %prod}: {@code RELAY_REDIS_USER},
 * {@code RELAY_REDIS_IAM_CACHE_NAME}), off otherwise (local runs and tests use a plain redis-server).
 */
@ConfigMapping(prefix = "relay.redis.iam")
public interface RedisIamConfig {

    /** The app's ElastiCache user (user id = user name), sent as {@code AUTH <user> <token>}. */
    Optional<String> user();

    /** The replication group id the token is signed for (its host part). */
    Optional<String> cacheName();

    /** The cache's region, part of the signature's scope. */
    @WithDefault("us-east-1")
    String region();

    /**
     * How long one Redis connection may live before it is closed and the client opens a new one (with a
     * new token). ElastiCache disconnects an IAM-authenticated connection after 12 h; closing earlier, at
     * a moment spread over the last tenth of this age, keeps that from hitting every connection at once.
     */
    @WithDefault("11h")
    Duration connectionMaxAge();

    /** How long opening one connection (TLS, AUTH) may take before it counts as failed. */
    @WithDefault("10s")
    Duration connectTimeout();

    default boolean enabled() {
        return user().filter(u -> !u.isBlank()).isPresent() && cacheName().filter(c -> !c.isBlank()).isPresent();
    }
}
