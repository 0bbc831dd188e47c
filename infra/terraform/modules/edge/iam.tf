data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name_prefix}-edge-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.edge.arn]
  }
  statement {
    sid       = "EcrLoginHasNoResourceScope"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${var.log_group.arn}:*"]
  }
  statement {
    sid       = "InjectRedisAuthToken"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.redis.auth_secret_arn]
  }
  statement {
    sid       = "DecryptRedisAuthTokenViaSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${data.aws_region.current.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-log-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_iam_role" "task" {
  name               = "${var.name_prefix}-edge"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

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
  # A node learns it is being drained when its target turns "draining" (ECS sends SIGTERM only
  # after the deregistration delay). DescribeTargetHealth has no resource-level scope.
  statement {
    sid       = "SeeOwnTargetDraining"
    actions   = ["elasticloadbalancing:DescribeTargetHealth"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "edge-least-privilege"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
