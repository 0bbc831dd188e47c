package dev.relay.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.contract.names.TableSpec;
import dev.relay.contract.names.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creating the schema is idempotent; an existing table of another shape is refused by name and difference. */
class DynamoDbSchemaTest {

    private static DynamoDbServer server;
    private static DynamoDbClient client;

    @BeforeAll
    static void start() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("relay-schema-");
        server = new DynamoDbServer(FreePorts.next(), dir, null, RelayHome.locate().serverLib("dynamodb"));
        server.start();
        client = server.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop();
    }

    @Test
    void aSecondRunKeepsEveryTableAndItsTtl() {
        String prefix = prefix();
        DynamoDbSchema.Outcome first = DynamoDbSchema.ensure(client, Tables.specs(), prefix);
        DynamoDbSchema.Outcome second = DynamoDbSchema.ensure(client, Tables.specs(), prefix);

        assertThat(first.created()).hasSize(Tables.specs().size());
        assertThat(second.created()).isEmpty();
        assertThat(second.kept()).containsExactlyElementsOf(Tables.all().stream().map(t -> prefix + t).toList());
        assertThat(client.describeTimeToLive(b -> b.tableName(prefix + Tables.Idempotency.NAME))
                .timeToLiveDescription().attributeName()).isEqualTo(Tables.Idempotency.EXPIRES_AT);
    }

    @Test
    void aTableWithAnotherSortKeyTypeIsRefusedNamingTheTableAndTheDifference() {
        String prefix = prefix();
        String table = prefix + Tables.Messages.NAME;
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(Tables.Messages.CONVERSATION_ID).keyType(KeyType.HASH),
                        k -> k.attributeName(Tables.Messages.SEQ).keyType(KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName(Tables.Messages.CONVERSATION_ID).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(Tables.Messages.SEQ).attributeType(ScalarAttributeType.S)));

        assertThatThrownBy(() -> DynamoDbSchema.ensure(client, Tables.specs(), prefix))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("table " + table + " does not match contract/")
                .hasMessageContaining("sort key is seq (S), contract/ says seq (N)");
    }

    @Test
    void aTableWithoutItsIndexIsRefused() {
        String prefix = prefix();
        TableSpec members = spec(Tables.Members.NAME);
        TableSpec withoutIndex = new TableSpec(members.name(), members.hashKey(), members.rangeKey(), List.of(), null);
        DynamoDbSchema.ensure(client, List.of(withoutIndex), prefix);

        assertThatThrownBy(() -> DynamoDbSchema.ensure(client, List.of(members), prefix))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("table " + prefix + Tables.Members.NAME)
                .hasMessageContaining("index " + Tables.Members.BY_USER_INDEX + " is missing");
    }

    @Test
    void theResetHintNamesTheDataDirectory() {
        SchemaMismatchException e = new SchemaMismatchException("relay-messages", List.of("index x is missing"))
                .withResetHint(Path.of("/tmp/x/.relay/dynamodb/data"));
        assertThat(e).hasMessage("table relay-messages does not match contract/: index x is missing. The DynamoDB data in "
                + "/tmp/x/.relay/dynamodb/data was made by another version: delete it to start clean "
                + "(./relay reset deletes .relay/)");
    }

    private static TableSpec spec(String name) {
        return Tables.specs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static String prefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }
}
