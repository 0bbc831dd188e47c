package dev.relay.contract.names;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every physical name as one flat map, the form Terraform reads ({@code names.auto.tfvars.json})
 * and the agreement tests compare against.
 */
public final class NamesManifest {

    private NamesManifest() {
    }

    public static Map<String, Object> asMap() {
        Map<String, Object> names = new LinkedHashMap<>();
        names.put("messages_table", Map.of(
                "name", Tables.Messages.NAME,
                "hash_key", Tables.Messages.CONVERSATION_ID,
                "range_key", Tables.Messages.SEQ));
        names.put("conversations_table", Map.of(
                "name", Tables.Conversations.NAME,
                "hash_key", Tables.Conversations.CONVERSATION_ID,
                "pending_publish_index", Tables.Conversations.PENDING_PUBLISH_INDEX,
                "pending_publish_hash_key", Tables.Conversations.PUBLISH_PENDING,
                "pending_publish_range_key", Tables.Conversations.COMMITTED_AT));
        names.put("members_table", Map.of(
                "name", Tables.Members.NAME,
                "hash_key", Tables.Members.CONVERSATION_ID,
                "range_key", Tables.Members.USER_ID,
                "by_user_index", Tables.Members.BY_USER_INDEX,
                "by_user_hash_key", Tables.Members.USER_ID,
                "by_user_range_key", Tables.Members.CONVERSATION_ID));
        names.put("idempotency_table", Map.of(
                "name", Tables.Idempotency.NAME,
                "hash_key", Tables.Idempotency.SENDER_ID,
                "range_key", Tables.Idempotency.IDEMPOTENCY_KEY,
                "ttl_attribute", Tables.Idempotency.EXPIRES_AT));
        names.put("topics", Map.of(
                "messages", Topics.MESSAGES,
                "messages_dlq", Topics.MESSAGES_DLQ,
                "signals", Topics.SIGNALS));
        names.put("redis_key_prefix", RedisKeys.PREFIX);
        return names;
    }

    /** Table base names in the order the manifest lists them. */
    public static List<String> tableNames() {
        return Tables.all();
    }
}
