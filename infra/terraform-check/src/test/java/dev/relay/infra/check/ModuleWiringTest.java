package dev.relay.infra.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.relay.infra.check.TfCheck.Finding;
import dev.relay.infra.check.TfCheck.Report;
import org.junit.jupiter.api.Test;

/** Module calls are checked against the called module's variables and outputs. */
class ModuleWiringTest {

    @Test
    void wiringMistakesAreReportedAndCorrectCallsAreNot() {
        Report report = TfCheck.check(TfCheck.fixture("wiring/root"));

        assertThat(report.findings()).allSatisfy(f -> assertThat(f.file()).endsWith("fixtures/wiring/root/main.tf"));
        assertThat(report.findings()).extracting(Finding::line, Finding::rule, Finding::message).containsExactly(
                tuple(6, "missing-module-argument", "module \"bad\": required variable \"name\" of ../child is not passed"),
                tuple(8, "unknown-module-argument", "module \"bad\": argument \"sise\" is not a variable of ../child"),
                tuple(16, "unknown-module-output", "module.good.url: module ../child has no output \"url\""),
                tuple(20, "unknown-variable", "var.missing: no variable \"missing\" is declared here"));
    }
}
