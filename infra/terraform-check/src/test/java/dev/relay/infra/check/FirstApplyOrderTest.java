package dev.relay.infra.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a first apply nothing that runs code with a role may be created before the role's policy:
 * a Lambda in a VPC needs ec2:CreateNetworkInterface at creation, an ECS task needs its execution
 * permissions to pull its image and read its parameters, a schedule needs lambda:InvokeFunction.
 * A reference to the role alone does not order the policy, so each of them names it in depends_on.
 */
class FirstApplyOrderTest {

    private static final Path MODULES = TfCheck.terraformDir().resolve("modules");

    @Test
    void lambdaFunctionsWaitForTheirRolePolicy() {
        assertThat(dependsOn("functions/main.tf", "aws_lambda_function", "this")).contains("aws_iam_role_policy.lambda");
    }

    @Test
    void taskDefinitionsWaitForTheExecutionAndTaskRolePolicies() {
        // Every ECS service (edge, fanout) and the topic bootstrap run this module's task definition.
        assertThat(dependsOn("ecs_task/main.tf", "aws_ecs_task_definition", "this"))
                .contains("aws_iam_role_policy.execution", "aws_iam_role_policy.task");
    }

    @Test
    void theRepairSweepScheduleWaitsForItsInvokePolicy() {
        assertThat(dependsOn("functions/repair_sweep.tf", "aws_scheduler_schedule", "repair_sweep"))
                .contains("aws_iam_role_policy.repair_sweep");
    }

    @Test
    void flowLogsWaitForTheirDeliveryPolicy() {
        assertThat(dependsOn("network/flow_logs.tf", "aws_flow_log", "this")).contains("aws_iam_role_policy.flow_logs");
    }

    private static List<String> dependsOn(String file, String type, String name) {
        JsonNode block = TfCheck.parse(MODULES.resolve(file)).path("resource").path(type).path(name).path(0);
        assertThat(block.isMissingNode()).as("%s.%s in %s", type, name, file).isFalse();
        List<String> references = new ArrayList<>();
        block.path("depends_on").forEach(ref -> references.add(ref.asText().replaceAll("^\\$\\{|}$", "")));
        return references;
    }
}
