package dev.relay.edge.redis;

/**
 * The Lua scripts that keep presence hashes consistent. Each runs atomically in Redis, so the epoch
 * comparison and the write cannot be interleaved with another node's: a lower epoch never replaces
 * a higher one. Every script also prunes fields whose expiry has passed and sets the hash's TTL to
 * its latest live expiry, so a dead node's entries disappear on their own.
 */
final class PresenceScripts {

    private PresenceScripts() {
    }

    private static final String HELPERS = """
            local function epochOf(value)
              return tonumber(string.match(value, '^[^|]*|[^|]*|(%d+)|'))
            end
            local function prune(key, now)
              local all = redis.call('HGETALL', key)
              local latest = 0
              for i = 1, #all, 2 do
                local expires = tonumber(string.match(all[i + 1], '|(%d+)$'))
                if expires == nil or expires <= now then
                  redis.call('HDEL', key, all[i])
                elseif expires > latest then
                  latest = expires
                end
              end
              if latest > 0 then
                redis.call('PEXPIRE', key, latest - now)
              end
            end
            """;

    /**
     * KEYS: presence hash, epoch counter. ARGV: device, node id, connection id, now, expiresAt.
     * Takes a new epoch and writes the entry; returns {epoch, previous entry or ''}.
     */
    static final LuaScript REGISTER = LuaScript.of(HELPERS + """
            local epoch = redis.call('INCR', KEYS[2])
            local previous = redis.call('HGET', KEYS[1], ARGV[1])
            if previous and epochOf(previous) and epochOf(previous) > epoch then
              return {0, previous}
            end
            redis.call('HSET', KEYS[1], ARGV[1],
              ARGV[2] .. '|' .. ARGV[3] .. '|' .. string.format('%d', epoch) .. '|' .. ARGV[5])
            prune(KEYS[1], tonumber(ARGV[4]))
            return {epoch, previous or ''}
            """);

    /**
     * KEYS: presence hash. ARGV: device, entry, entry's epoch, now. Rewrites the entry (new expiry)
     * unless a higher epoch holds the field; returns 1, or 0 when fenced.
     */
    static final LuaScript REFRESH = LuaScript.of(HELPERS + """
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current and epochOf(current) and epochOf(current) > tonumber(ARGV[3]) then
              return 0
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            prune(KEYS[1], tonumber(ARGV[4]))
            return 1
            """);

    /** KEYS: presence hash. ARGV: device, epoch, now. Deletes the field only if it still holds this epoch. */
    static final LuaScript REMOVE = LuaScript.of(HELPERS + """
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current and epochOf(current) == tonumber(ARGV[2]) then
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            prune(KEYS[1], tonumber(ARGV[3]))
            return 1
            """);
}
