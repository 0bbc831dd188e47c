package dev.relay.localstack;

import dev.relay.contract.names.TableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/** Creates every table of {@code Tables.specs()} (keys, indexes, TTL) and waits until each is ACTIVE. */
final class DynamoDbSchema {

    private DynamoDbSchema() {
    }

    static void create(DynamoDbClient client, List<TableSpec> specs, String tablePrefix) {
        for (TableSpec spec : specs) {
            String table = tablePrefix + spec.name();
            try {
                client.createTable(request(spec, table));
            } catch (ResourceInUseException alreadyThere) {
                // A persistent local run keeps its tables across restarts.
            }
            Wait.until("table " + table + " to be ACTIVE", Duration.ofSeconds(30), () ->
                    client.describeTable(b -> b.tableName(table)).table().tableStatus() == TableStatus.ACTIVE);
            if (spec.ttlAttribute() != null) {
                client.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(
                        TimeToLiveSpecification.builder().attributeName(spec.ttlAttribute()).enabled(true).build()));
            }
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
