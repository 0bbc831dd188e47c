package dev.relay.contract.names;

/**
 * Redis key patterns and pub/sub channel names. Redis holds nothing that is not also in DynamoDB:
 * presence, node heartbeats, delivery channels and rate-limit buckets only.
 */
public final class RedisKeys {

    private RedisKeys() {
    }

    public static final String PREFIX = "relay:";

    /** Hash: field = device id, value = the device's connection entry (node, connection, epoch, expiry). */
    public static String presence(String userId) {
        return PREFIX + "presence:" + userId;
    }

    /**
     * Sorted set beside {@link #presence(String)}: member = device id, score = that entry's expiry
     * (epoch millis). Lets writers prune and count live devices without reading the whole hash.
     */
    public static String presenceExpiry(String userId) {
        return PREFIX + "presence-expiry:" + userId;
    }

    /** Counter that issues connection epochs; a higher epoch fences every lower one of the same user+device. */
    public static final String CONNECTION_EPOCH = PREFIX + "connection-epoch";

    /** String with expiry, refreshed by the node's heartbeat; gone means the node is dead. */
    public static String nodeHeartbeat(String nodeId) {
        return PREFIX + "node:" + nodeId;
    }

    /** Pub/sub channel an edge node subscribes to for deliveries and fences addressed to it. */
    public static String nodeChannel(String nodeId) {
        return PREFIX + "edge:" + nodeId;
    }

    /** Pub/sub channel for a large conversation, subscribed by nodes holding one of its members. */
    public static String conversationChannel(String conversationId) {
        return PREFIX + "conversation:" + conversationId;
    }

    /** Pub/sub channel announcing membership changes, so member caches drop their entry. */
    public static final String MEMBERSHIP_CHANGES = PREFIX + "membership-changes";

    /** Token bucket of one user's sends. */
    public static String sendRateLimit(String userId) {
        return rateLimit("send", userId);
    }

    /** Token bucket of one user's requests of one kind ({@code send}, {@code signal}, {@code conversation}, {@code member}). */
    public static String rateLimit(String bucket, String userId) {
        return PREFIX + "ratelimit:" + bucket + ":" + userId;
    }

    /** Pattern matching every key Relay writes, for operators and tests. */
    public static final String ALL_KEYS_PATTERN = PREFIX + "*";
}
