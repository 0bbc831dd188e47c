package dev.relay.edge.redis;

/**
 * The Lua scripts that keep presence consistent. Each runs atomically in Redis, so the epoch
 * comparison and the write cannot be interleaved with another node's: a lower epoch never replaces
 * a higher one.
 *
 * <p>Two keys per user: the hash {@code RedisKeys.presence} (device to entry, what fanout reads) and
 * the sorted set {@code RedisKeys.presenceExpiry} (device scored by its entry's expiry). Invariant:
 * no script reads the whole hash or set. A script touches its own device's field and member, drops
 * at most {@value #PRUNE_BATCH} expired devices (oldest first), and reads the latest expiry from the
 * set's end to set both keys' TTL; so its cost is O(log n) in the user's devices, and a dead node's
 * entries still disappear on their own (pruned by later writes, or with the keys' TTL).
 */
final class PresenceScripts {

    /** Expired devices one script call removes at most; each call adds at most one. */
    static final int PRUNE_BATCH = 16;

    private PresenceScripts() {
    }

    private static final String HELPERS = """
            local function epochOf(value)
              return tonumber(string.match(value, '^[^|]*|[^|]*|(%d+)|'))
            end
            local function prune(hash, expiry, now)
              local dead = redis.call('ZRANGEBYSCORE', expiry, '-inf', now, 'LIMIT', 0, $PRUNE_BATCH)
              if #dead > 0 then
                redis.call('HDEL', hash, unpack(dead))
                redis.call('ZREM', expiry, unpack(dead))
              end
              local latest = redis.call('ZRANGE', expiry, -1, -1, 'WITHSCORES')
              if latest[2] then
                local ttl = math.floor(tonumber(latest[2]) - now)
                if ttl > 0 then
                  redis.call('PEXPIRE', hash, ttl)
                  redis.call('PEXPIRE', expiry, ttl)
                end
              end
            end
            """.replace("$PRUNE_BATCH", Integer.toString(PRUNE_BATCH));

    /**
     * KEYS: presence hash, expiry set, epoch counter. ARGV: device, node id, connection id, now,
     * expiresAt. Takes a new epoch and writes the entry; returns {epoch, previous entry or ''}.
     */
    static final LuaScript REGISTER = LuaScript.of(HELPERS + """
            local epoch = redis.call('INCR', KEYS[3])
            local previous = redis.call('HGET', KEYS[1], ARGV[1])
            if previous and epochOf(previous) and epochOf(previous) > epoch then
              return {0, previous}
            end
            redis.call('HSET', KEYS[1], ARGV[1],
              ARGV[2] .. '|' .. ARGV[3] .. '|' .. string.format('%d', epoch) .. '|' .. ARGV[5])
            redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
            prune(KEYS[1], KEYS[2], tonumber(ARGV[4]))
            return {epoch, previous or ''}
            """);

    /**
     * KEYS: presence hash, expiry set, epoch counter. ARGV: device, entry, entry's epoch, now, entry's
     * expiresAt. Rewrites the entry (new expiry) unless a higher epoch holds the field; returns 1, or
     * 0 when fenced. Also raises the counter to the entry's epoch: after Redis lost its data (a
     * restart without persistence) the counter starts from 0 again, and without this a connection
     * registered then would take an epoch below the live ones it replaces, and be fenced by them.
     */
    static final LuaScript REFRESH = LuaScript.of(HELPERS + """
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current and epochOf(current) and epochOf(current) > tonumber(ARGV[3]) then
              return 0
            end
            if (tonumber(redis.call('GET', KEYS[3])) or 0) < tonumber(ARGV[3]) then
              redis.call('SET', KEYS[3], ARGV[3])
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
            prune(KEYS[1], KEYS[2], tonumber(ARGV[4]))
            return 1
            """);

    /**
     * KEYS: presence hash, expiry set. ARGV: device, epoch, now. Deletes the field (and its expiry)
     * only if it still holds this epoch.
     */
    static final LuaScript REMOVE = LuaScript.of(HELPERS + """
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current and epochOf(current) == tonumber(ARGV[2]) then
              redis.call('HDEL', KEYS[1], ARGV[1])
              redis.call('ZREM', KEYS[2], ARGV[1])
            end
            prune(KEYS[1], KEYS[2], tonumber(ARGV[3]))
            return 1
            """);

    /**
     * KEYS: presence hash, expiry set. ARGV: device, now, max devices, reserve-until. Admits a new
     * connection of the user: always for a device already there (it replaces that connection),
     * otherwise only while fewer than {@code max} devices are live, and then reserves the device
     * until {@code reserve-until} so concurrent upgrades cannot all pass. Returns 1 or 0.
     */
    static final LuaScript ADMIT = LuaScript.of(HELPERS + """
            prune(KEYS[1], KEYS[2], tonumber(ARGV[2]))
            if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
              return 1
            end
            if redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[2], '+inf') >= tonumber(ARGV[3]) then
              return 0
            end
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
            local ttl = math.floor(tonumber(ARGV[4]) - tonumber(ARGV[2]))
            if ttl > 0 and redis.call('PTTL', KEYS[2]) < ttl then
              redis.call('PEXPIRE', KEYS[2], ttl)
            end
            return 1
            """);
}
