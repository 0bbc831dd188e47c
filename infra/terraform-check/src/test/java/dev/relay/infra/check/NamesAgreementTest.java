package dev.relay.infra.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contract.names.NamesManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Terraform uses exactly the contract's physical names: the generated names file equals what
 * {@link NamesManifest} produces now, the names module exports it, the composition module every
 * environment calls (modules/relay) feeds the dynamodb and kafka modules from it, fanout's IAM, task
 * environment and lag alarms take its consumer groups from it, and no .tf file spells one of those names itself.
 */
class NamesAgreementTest {

    private static final Path TERRAFORM = TfCheck.terraformDir();

    @Test
    void namesFileIsGeneratedFromTheContract() throws IOException {
        Path file = NamesFile.path(TERRAFORM);
        String expected = NamesFile.render();
        if (Boolean.getBoolean("relay.names.regenerate")) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        String how = "%s is out of date with the contract; regenerate it with: %s".formatted(
                TERRAFORM.relativize(file), NamesFile.REGENERATE);
        assertThat(file).as(how).exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).as(how).isEqualTo(expected);
    }

    @Test
    void namesModuleExportsEveryManifestEntry() {
        JsonNode outputs = TfCheck.parse(TERRAFORM.resolve("modules/names/outputs.tf")).path("output");
        for (String key : NamesManifest.asMap().keySet()) {
            assertThat(outputs.path(key).path(0).path("value").asText())
                    .as("output %s of modules/names", key)
                    .isEqualTo("${local.names." + key + "}");
        }
        assertThat(outputs.path("table_roles").path(0).path("value").asText()).isEqualTo("${local.table_roles}");
    }

    @Test
    void dynamodbModuleTakesEveryTableKeyIndexAndTtlFromItsVariables() throws IOException {
        List<JsonNode> files = parseAll(TERRAFORM.resolve("modules/dynamodb"));
        JsonNode variables = merged(files, "variable");
        assertThat(variables.has("tables")).as("modules/dynamodb declares variable tables").isTrue();

        JsonNode tables = merged(files, "resource").path("aws_dynamodb_table");
        assertThat(tables.size()).as("one aws_dynamodb_table resource, one instance per contract table").isEqualTo(1);
        JsonNode table = tables.elements().next().path(0);
        assertThat(table.path("for_each").asText()).isEqualTo("${var.tables}");
        assertThat(table.path("name").asText()).isEqualTo("${var.table_prefix}${each.value.name}");
        assertThat(table.path("hash_key").asText()).isEqualTo("${each.value.hash_key.name}");
        assertThat(table.path("range_key").asText()).contains("each.value.range_key.name");

        JsonNode dynamic = table.path("dynamic");
        assertThat(dynamic.path("attribute").path(0).path("for_each").asText()).contains("local.attributes[each.key]");
        assertThat(dynamic.path("global_secondary_index").path(0).path("for_each").asText())
                .isEqualTo("${each.value.global_secondary_indexes}");
        JsonNode index = dynamic.path("global_secondary_index").path(0).path("content").path(0);
        assertThat(index.path("name").asText()).isEqualTo("${global_secondary_index.value.name}");
        assertThat(index.path("hash_key").asText()).isEqualTo("${global_secondary_index.value.hash_key.name}");
        assertThat(index.path("range_key").asText()).contains("global_secondary_index.value.range_key.name");
        assertThat(dynamic.path("ttl").path(0).path("for_each").asText()).contains("each.value.ttl_attribute");
        assertThat(dynamic.path("ttl").path(0).path("content").path(0).path("attribute_name").asText()).isEqualTo("${ttl.value}");
    }

    @Test
    void everyEnvironmentFeedsTablesAndTopicsFromTheNamesModule() throws IOException {
        JsonNode relay = merged(parseAll(TERRAFORM.resolve("modules/relay")), "module");
        assertThat(relay.path("names").path(0).path("source").asText()).isEqualTo("../names");
        assertThat(relay.path("dynamodb").path(0).path("tables").asText()).as("modules/relay dynamodb.tables")
                .isEqualTo("${module.names.tables}");
        assertThat(relay.path("kafka").path(0).path("topics").asText()).as("modules/relay kafka.topics")
                .isEqualTo("${module.names.topics}");
        assertThat(relay.path("functions").path(0).path("table_roles").asText()).as("modules/relay functions.table_roles")
                .isEqualTo("${module.names.table_roles}");

        try (Stream<Path> envs = Files.list(TERRAFORM.resolve("envs"))) {
            List<Path> dirs = envs.filter(Files::isDirectory).sorted().toList();
            assertThat(dirs).extracting(p -> p.getFileName().toString()).containsExactly("dev", "prod");
            for (Path env : dirs) {
                JsonNode modules = merged(parseAll(env), "module");
                assertThat(modules.size()).as(env + " calls only modules/relay").isEqualTo(1);
                assertThat(modules.path("relay").path(0).path("source").asText()).as(env + " relay.source")
                        .isEqualTo("../../modules/relay");
            }
        }
    }

    @Test
    void fanoutConsumerGroupsComeFromTheNamesModule() throws IOException {
        JsonNode relay = merged(parseAll(TERRAFORM.resolve("modules/relay")), "module");
        assertThat(relay.path("functions").path(0).path("consumer_groups").asText()).as("modules/relay functions.consumer_groups")
                .isEqualTo("${module.names.consumer_groups}");
        assertThat(relay.path("observability").path(0).path("kafka").path("fanout_group_id").asText())
                .as("modules/relay observability.kafka.fanout_group_id (the lag alarms' group)")
                .isEqualTo("${module.names.consumer_groups.fanout_messages}");

        List<JsonNode> functions = parseAll(TERRAFORM.resolve("modules/functions"));
        JsonNode variables = merged(functions, "variable");
        assertThat(variables.has("fanout_group_id")).as("no fanout_group_id variable with a default of its own").isFalse();
        assertThat(variables.path("consumer_groups").path(0).has("default")).as("consumer_groups has no default").isFalse();

        // Several files declare aws_iam_policy_document data blocks, so look at each file rather than a merge.
        List<String> groupResources = new ArrayList<>();
        for (JsonNode file : functions) {
            JsonNode policy = file.path("data").path("aws_iam_policy_document").path("fanout").path(0);
            policy.path("statement").forEach(statement -> statement.path("resources").forEach(r -> {
                if (r.asText().contains("group_arn_prefix")) {
                    groupResources.add(r.asText());
                }
            }));
        }
        assertThat(groupResources).as("fanout IAM grants exactly its three groups, no wildcard").containsExactlyInAnyOrder(
                "${var.kafka.group_arn_prefix}/${var.consumer_groups.fanout_messages}",
                "${var.kafka.group_arn_prefix}/${var.consumer_groups.fanout_signals}",
                "${var.kafka.group_arn_prefix}/${var.consumer_groups.fanout_dlq_replay}");

        // The variables fanout-fn's application.properties reads the group ids from.
        String environment = merged(functions, "module").path("task").path(0).path("container").path("environment").asText();
        assertThat(environment).as("fanout task environment")
                .containsPattern("\\bRELAY_FANOUT_GROUP\\s*=\\s*var\\.consumer_groups\\.fanout_messages\\b")
                .containsPattern("\\bRELAY_FANOUT_SIGNALS_GROUP\\s*=\\s*var\\.consumer_groups\\.fanout_signals\\b")
                .doesNotContain("KAFKA_GROUP_ID");
    }

    @Test
    void noTerraformFileSpellsAContractName() throws IOException {
        List<String> names = NamesFile.physicalNames();
        assertThat(names).contains("relay-messages", "messages", "relay:");
        List<String> spelled = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(TERRAFORM)) {
            files = walk.filter(p -> p.toString().endsWith(".tf") && !p.toString().contains("/.terraform/")).sorted().toList();
        }
        TfCheck.parse(files).forEach((file, parsed) -> {
            for (String literal : strings(parsed, new ArrayList<>())) {
                for (String name : names) {
                    if (literal.equals(name) || literal.contains("\"" + name + "\"")) {
                        spelled.add(TERRAFORM.relativize(file) + ": \"" + name + "\" in " + literal);
                    }
                }
            }
        });
        assertThat(spelled).as("physical names must come from modules/names (the contract), not literals").isEmpty();
    }

    private static List<JsonNode> parseAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return List.copyOf(TfCheck.parse(files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()).values());
        }
    }

    /** The union of one top-level section (resource, variable, module...) over several files. */
    private static JsonNode merged(List<JsonNode> files, String section) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        for (JsonNode file : files) {
            file.path(section).fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        }
        return merged;
    }

    private static List<String> strings(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        } else {
            node.elements().forEachRemaining(child -> strings(child, out));
        }
        return out;
    }
}
