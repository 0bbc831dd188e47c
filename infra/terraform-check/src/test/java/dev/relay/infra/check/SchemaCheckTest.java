package dev.relay.infra.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.relay.infra.check.TfCheck.Finding;
import dev.relay.infra.check.TfCheck.Report;
import org.junit.jupiter.api.Test;

/**
 * Every resource and data block is checked against the hashicorp/aws 6.x schema: the real modules
 * and environments pass, and each planted mistake is reported with its file and line.
 */
class SchemaCheckTest {

    @Test
    void realModulesAndEnvironmentsPass() {
        Report report = TfCheck.check(TfCheck.terraformDir());

        assertThat(report.findings()).as("findings in infra/terraform").isEmpty();
        assertThat(report.providerVersion()).as("schema version").startsWith("6.");
        assertThat(report.files()).as("every module and both environments are parsed")
                .anyMatch(f -> f.endsWith("modules/dynamodb/main.tf"))
                .anyMatch(f -> f.endsWith("modules/edge/service.tf"))
                .anyMatch(f -> f.endsWith("modules/ecs_task/main.tf"))
                .anyMatch(f -> f.endsWith("modules/relay/main.tf"))
                .anyMatch(f -> f.endsWith("envs/dev/main.tf"))
                .anyMatch(f -> f.endsWith("envs/prod/main.tf"));
        assertThat(report.blocks()).as("resource and data blocks checked").isGreaterThan(65);
        // modules/relay calls the ten modules, each environment calls modules/relay, and edge,
        // functions and kafka each call modules/ecs_task.
        assertThat(report.moduleCalls()).as("module calls checked").isGreaterThanOrEqualTo(15);
    }

    @Test
    void validConfigurationUsingDynamicBlocksAndMetaArgumentsHasNoFinding() {
        assertThat(TfCheck.check(TfCheck.fixture("valid")).findings()).isEmpty();
    }

    @Test
    void typoedArgumentNameIsReportedWithFileLineAndSuggestion() {
        Report report = TfCheck.check(TfCheck.fixture("typo-argument"));

        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.file()).endsWith("fixtures/typo-argument/main.tf");
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.rule()).isEqualTo("unknown-argument");
            assertThat(f.message()).contains("\"message_retention_secnds\"", "did you mean \"message_retention_seconds\"");
        });
    }

    @Test
    void typosInsideNestedAndDynamicBlocksAreReported() {
        Report report = TfCheck.check(TfCheck.fixture("nested-typo"));

        assertThat(report.findings()).extracting(Finding::line, Finding::rule).containsExactly(
                tuple(11, "missing-required"),  // point_in_time_recovery lacks "enabled" (it says "enabeld")
                tuple(12, "unknown-argument"),  // enabeld
                tuple(20, "unknown-argument")); // projection_typ inside dynamic "global_secondary_index"
        assertThat(report.findings().get(2).message()).contains("projection_typ", "global_secondary_index");
    }

    @Test
    void unknownResourceAndDataSourceTypesAreReported() {
        Report report = TfCheck.check(TfCheck.fixture("unknown-type"));

        assertThat(report.findings()).extracting(Finding::line, Finding::rule, Finding::message).containsExactly(
                tuple(1, "unknown-type", "aws_dynamodb_tabel.log: unknown resource type \"aws_dynamodb_tabel\" in hashicorp/aws " + report.providerVersion()),
                tuple(5, "unknown-type", "data.aws_iam_policy_documents.read: unknown data source type \"aws_iam_policy_documents\" in hashicorp/aws " + report.providerVersion()));
    }

    @Test
    void missingRequiredArgumentsAndBlocksAreReported() {
        Report report = TfCheck.check(TfCheck.fixture("missing-required"));

        assertThat(report.findings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(1, "aws_dynamodb_table.log: missing required argument \"name\" in the block body"),
                tuple(10, "aws_dynamodb_table.log: missing required argument \"projection_type\" in global_secondary_index"),
                tuple(16, "aws_lb_listener.https: missing required argument \"default_action\" in the block body"));
    }

    @Test
    void syntaxErrorIsReportedByTheHclParserWithItsLine() {
        Report report = TfCheck.check(TfCheck.fixture("syntax-error"));

        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("syntax");
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.message()).contains("Invalid expression");
        });
    }
}
