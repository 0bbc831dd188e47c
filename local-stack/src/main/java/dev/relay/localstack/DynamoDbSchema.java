package dev.relay.localstack;

import static org.awaitility.Awaitility.await;

import dev.relay.contract.names.TableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Makes every table of {@code Tables.specs()} exist with its keys, indexes and TTL, idempotently:
 * a missing table is created, an existing one with the contract's shape is kept as it is (data
 * included), TTL already enabled on the right attribute is left alone, and a table whose shape
 * differs fails with {@link SchemaMismatchException} naming the table and every difference.
 */
final class DynamoDbSchema {

    /** What {@link #ensure} did, for the start-up progress line. */
    record Outcome(List<String> created, List<String> kept) {
    }

    private DynamoDbSchema() {
    }

    static Outcome ensure(DynamoDbClient client, List<TableSpec> specs, String tablePrefix) {
        List<String> created = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (TableSpec spec : specs) {
            String table = tablePrefix + spec.name();
            TableDescription existing = describe(client, table);
            if (existing == null) {
                try {
                    client.createTable(request(spec, table));
                    created.add(table);
                } catch (ResourceInUseException createdMeanwhile) {
                    kept.add(table);
                }
            } else {
                kept.add(table);
            }
            await("table " + table + " to be ACTIVE").atMost(Duration.ofSeconds(30)).until(() ->
                    client.describeTable(b -> b.tableName(table)).table().tableStatus() == TableStatus.ACTIVE);
            TimeToLiveDescription ttl = client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
            List<String> differences = differences(spec, client.describeTable(b -> b.tableName(table)).table(), ttl);
            if (!differences.isEmpty()) {
                throw new SchemaMismatchException(table, differences);
            }
            if (spec.ttlAttribute() != null && !ttlOn(ttl)) {
                client.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(
                        TimeToLiveSpecification.builder().attributeName(spec.ttlAttribute()).enabled(true).build()));
            }
        }
        return new Outcome(List.copyOf(created), List.copyOf(kept));
    }

    /**
     * How an existing table differs from its spec: keys (attribute and type), the set of indexes and
     * each index's keys, and the TTL attribute. TTL that is off where the spec wants it is not a
     * difference (it is switched on); TTL on another attribute, or on where the spec has none, is.
     */
    static List<String> differences(TableSpec spec, TableDescription table, TimeToLiveDescription ttl) {
        Map<String, ScalarAttributeType> types = table.attributeDefinitions().stream().collect(
                Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeType, (a, b) -> a));
        List<String> differences = new ArrayList<>();
        compareKeys("key", spec.hashKey(), spec.rangeKey(), table.keySchema(), types, differences);
        Map<String, GlobalSecondaryIndexDescription> indexes = table.globalSecondaryIndexes().stream().collect(
                Collectors.toMap(GlobalSecondaryIndexDescription::indexName, Function.identity()));
        for (TableSpec.Index index : spec.indexes()) {
            GlobalSecondaryIndexDescription actual = indexes.remove(index.name());
            if (actual == null) {
                differences.add("index " + index.name() + " is missing");
            } else {
                compareKeys("index " + index.name() + " key", index.hashKey(), index.rangeKey(), actual.keySchema(),
                        types, differences);
            }
        }
        indexes.keySet().forEach(extra -> differences.add("index " + extra + " is not in contract/"));
        String ttlAttribute = ttlOn(ttl) ? ttl.attributeName() : null;
        if (ttlAttribute != null && !ttlAttribute.equals(spec.ttlAttribute())) {
            differences.add(spec.ttlAttribute() == null
                    ? "TTL is on " + ttlAttribute + ", contract/ has no TTL"
                    : "TTL is on " + ttlAttribute + ", contract/ says " + spec.ttlAttribute());
        }
        return differences;
    }

    private static boolean ttlOn(TimeToLiveDescription ttl) {
        return ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
    }

    private static void compareKeys(String what, TableSpec.Key hash, TableSpec.Key range, List<KeySchemaElement> actual,
                                    Map<String, ScalarAttributeType> types, List<String> differences) {
        String expectedHash = describe(hash);
        String expectedRange = describe(range);
        String actualHash = describe(actual, KeyType.HASH, types);
        String actualRange = describe(actual, KeyType.RANGE, types);
        if (!Objects.equals(expectedHash, actualHash)) {
            differences.add(what + ": partition key is " + actualHash + ", contract/ says " + expectedHash);
        }
        if (!Objects.equals(expectedRange, actualRange)) {
            differences.add(what + ": sort key is " + orNone(actualRange) + ", contract/ says " + orNone(expectedRange));
        }
    }

    private static String describe(TableSpec.Key key) {
        return key == null ? null : key.attribute() + " (" + key.type() + ")";
    }

    private static String describe(List<KeySchemaElement> keys, KeyType keyType, Map<String, ScalarAttributeType> types) {
        return keys.stream().filter(k -> k.keyType() == keyType).findFirst()
                .map(k -> k.attributeName() + " (" + types.getOrDefault(k.attributeName(), ScalarAttributeType.UNKNOWN_TO_SDK_VERSION) + ")")
                .orElse(null);
    }

    private static String orNone(String key) {
        return key == null ? "none" : key;
    }

    private static TableDescription describe(DynamoDbClient client, String table) {
        try {
            return client.describeTable(b -> b.tableName(table)).table();
        } catch (ResourceNotFoundException absent) {
            return null;
        }
    }

    private static CreateTableRequest request(TableSpec spec, String table) {
        Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
        List<KeySchemaElement> keys = keySchema(spec.hashKey(), spec.rangeKey(), attributes);
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (TableSpec.Index index : spec.indexes()) {
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(keySchema(index.hashKey(), index.rangeKey(), attributes))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build());
        }
        CreateTableRequest.Builder builder = CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keys)
                .attributeDefinitions(attributes.values());
        if (!indexes.isEmpty()) {
            builder.globalSecondaryIndexes(indexes);
        }
        return builder.build();
    }

    private static List<KeySchemaElement> keySchema(TableSpec.Key hash, TableSpec.Key range,
                                                    Map<String, AttributeDefinition> attributes) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(element(hash, KeyType.HASH, attributes));
        if (range != null) {
            keys.add(element(range, KeyType.RANGE, attributes));
        }
        return keys;
    }

    private static KeySchemaElement element(TableSpec.Key key, KeyType keyType, Map<String, AttributeDefinition> attributes) {
        attributes.putIfAbsent(key.attribute(), AttributeDefinition.builder()
                .attributeName(key.attribute())
                .attributeType(key.type() == TableSpec.KeyType.S ? ScalarAttributeType.S : ScalarAttributeType.N)
                .build());
        return KeySchemaElement.builder().attributeName(key.attribute()).keyType(keyType).build();
    }
}
