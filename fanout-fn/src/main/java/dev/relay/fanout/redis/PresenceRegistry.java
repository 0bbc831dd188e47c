package dev.relay.fanout.redis;

import dev.relay.contract.names.RedisKeys;
import dev.relay.contract.presence.PresenceEntry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads where users are connected from the presence hashes websocket-edge writes
 * ({@code RedisKeys.presence(userId)}: field = device, value = {@link PresenceEntry#format()}).
 * All users of one lookup are read in one pipelined round trip.
 */
@ApplicationScoped
public class PresenceRegistry {

    private final RedisBatchClient redis;

    public PresenceRegistry(RedisBatchClient redis) {
        this.redis = redis;
    }

    /**
     * @return each user with at least one live entry, mapped to those entries; entries expired at
     *         {@code nowMillis} and values that do not parse are left out (a dead or foreign writer
     *         must not stop the others' pushes)
     */
    public Map<String, List<PresenceEntry>> online(List<String> userIds, long nowMillis) {
        List<Request> reads = new ArrayList<>(userIds.size());
        for (String userId : userIds) {
            reads.add(Request.cmd(Command.HGETALL).arg(RedisKeys.presence(userId)));
        }
        List<Response> replies = redis.send(reads);
        Map<String, List<PresenceEntry>> online = new HashMap<>();
        for (int i = 0; i < userIds.size(); i++) {
            List<PresenceEntry> live = liveEntries(replies.get(i), nowMillis);
            if (!live.isEmpty()) {
                online.put(userIds.get(i), live);
            }
        }
        return online;
    }

    private static List<PresenceEntry> liveEntries(Response hash, long nowMillis) {
        List<PresenceEntry> live = new ArrayList<>();
        for (String value : values(hash)) {
            try {
                PresenceEntry entry = PresenceEntry.parse(value);
                if (entry.aliveAt(nowMillis)) {
                    live.add(entry);
                }
            } catch (IllegalArgumentException notAnEntry) {
                // Skipped: see online().
            }
        }
        return live;
    }

    /** Field values of an HGETALL reply: a map under RESP3, a flat field/value array under RESP2. */
    private static List<String> values(Response hash) {
        List<String> values = new ArrayList<>();
        if (hash == null) {
            return values;
        }
        if (hash.isMap()) {
            for (String field : hash.getKeys()) {
                values.add(hash.get(field).toString());
            }
        } else {
            for (int i = 1; i < hash.size(); i += 2) {
                values.add(hash.get(i).toString());
            }
        }
        return values;
    }
}
