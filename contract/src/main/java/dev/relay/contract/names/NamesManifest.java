package dev.relay.contract.names;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every physical name as plain maps and lists, the form Terraform reads ({@code names.auto.tfvars.json})
 * and the agreement tests compare against. Derived from {@link Tables#specs()}, {@link Topics},
 * {@link ConsumerGroups} and {@link RedisKeys}; nothing here is spelled twice.
 */
public final class NamesManifest {

    private NamesManifest() {
    }

    public static Map<String, Object> asMap() {
        Map<String, Object> names = new LinkedHashMap<>();
        Map<String, Object> tables = new LinkedHashMap<>();
        for (TableSpec spec : Tables.specs()) {
            tables.put(spec.name(), table(spec));
        }
        names.put("tables", tables);
        Map<String, Object> topics = new LinkedHashMap<>();
        topics.put("messages", Topics.MESSAGES);
        topics.put("messages_dlq", Topics.MESSAGES_DLQ);
        topics.put("signals", Topics.SIGNALS);
        names.put("topics", topics);
        Map<String, Object> consumerGroups = new LinkedHashMap<>();
        consumerGroups.put("fanout_messages", ConsumerGroups.FANOUT_MESSAGES);
        consumerGroups.put("fanout_signals", ConsumerGroups.FANOUT_SIGNALS);
        consumerGroups.put("fanout_dlq_replay", ConsumerGroups.FANOUT_DLQ_REPLAY);
        names.put("consumer_groups", consumerGroups);
        names.put("redis_key_prefix", RedisKeys.PREFIX);
        return names;
    }

    /** Table base names in the order the manifest lists them. */
    public static List<String> tableNames() {
        return Tables.all();
    }

    private static Map<String, Object> table(TableSpec spec) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("name", spec.name());
        table.put("hash_key", key(spec.hashKey()));
        table.put("range_key", spec.rangeKey() == null ? null : key(spec.rangeKey()));
        List<Object> indexes = new ArrayList<>();
        for (TableSpec.Index index : spec.indexes()) {
            Map<String, Object> gsi = new LinkedHashMap<>();
            gsi.put("name", index.name());
            gsi.put("hash_key", key(index.hashKey()));
            gsi.put("range_key", index.rangeKey() == null ? null : key(index.rangeKey()));
            indexes.add(gsi);
        }
        table.put("global_secondary_indexes", indexes);
        table.put("ttl_attribute", spec.ttlAttribute());
        return table;
    }

    private static Map<String, Object> key(TableSpec.Key key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", key.attribute());
        out.put("type", key.type().name());
        return out;
    }
}
