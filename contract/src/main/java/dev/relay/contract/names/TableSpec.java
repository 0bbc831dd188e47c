package dev.relay.contract.names;

import java.util.List;

/**
 * The physical shape of one DynamoDB table: keys with their attribute types, global secondary
 * indexes and the TTL attribute. The local stack creates tables from these specs and Terraform is
 * checked against them, so a key or index exists in one place only.
 *
 * @param name         base table name (a deployment may prefix it)
 * @param hashKey      partition key
 * @param rangeKey     sort key, or null
 * @param indexes      global secondary indexes, all projecting every attribute
 * @param ttlAttribute epoch-seconds attribute DynamoDB expires items by, or null
 */
public record TableSpec(String name, Key hashKey, Key rangeKey, List<Index> indexes, String ttlAttribute) {

    /** DynamoDB scalar attribute types used by keys. */
    public enum KeyType {
        S, N
    }

    public record Key(String attribute, KeyType type) {
    }

    public record Index(String name, Key hashKey, Key rangeKey) {
    }

    public static Key string(String attribute) {
        return new Key(attribute, KeyType.S);
    }

    public static Key number(String attribute) {
        return new Key(attribute, KeyType.N);
    }
}
