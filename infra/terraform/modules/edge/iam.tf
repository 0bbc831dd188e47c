# The edge task's least privilege; the roles themselves come from modules/ecs_task.

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "RaiseDeliveredSeqOnAck"
    actions   = ["dynamodb:UpdateItem"]
    resources = [var.members_table_arn]
  }
  statement {
    sid       = "ListConversationsOfConnectingUser"
    actions   = ["dynamodb:Query"]
    resources = var.members_index_arns
  }
  statement {
    sid       = "FindLargeConversations"
    actions   = ["dynamodb:BatchGetItem"]
    resources = [var.conversations_table_arn]
  }
  statement {
    sid       = "ConnectToRedisAsOwnUser"
    actions   = ["elasticache:Connect"]
    resources = [var.redis.replication_group_arn, var.redis.user_arn]
  }
  # A node learns it is being drained when its target turns "draining" (ECS sends SIGTERM only
  # after the deregistration delay). DescribeTargetHealth has no resource-level scope.
  statement {
    sid       = "SeeOwnTargetDraining"
    actions   = ["elasticloadbalancing:DescribeTargetHealth"]
    resources = ["*"]
  }
}
