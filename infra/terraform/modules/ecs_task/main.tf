# One containerized app on ECS Fargate: its cluster, its own ECR repository, its task definition
# and the two roles of that task. Invariants: the execution role may pull only this repository,
# write only this log group and read only the SSM parameters injected as the container's
# `secrets`; the task role carries exactly the least-privilege policy the caller passes. The
# task definition depends on both role policies, so no task of a service using it starts before
# its permissions exist.
# Every name is "<name_prefix>-<name>" (execution role: "<name_prefix>-<name>-execution").

data "aws_region" "current" {}

locals {
  name = "${var.name_prefix}-${var.name}"
}

resource "aws_ecr_repository" "this" {
  name                 = local.name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecs_cluster" "this" {
  name = local.name

  dynamic "setting" {
    for_each = var.container_insights ? ["enabled"] : []
    content {
      name  = "containerInsights"
      value = setting.value
    }
  }
}

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
  name               = "${local.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.this.arn]
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
  dynamic "statement" {
    for_each = length(var.parameters) > 0 ? [values(var.parameters)] : []
    content {
      sid       = "InjectParameters"
      actions   = ["ssm:GetParameters"]
      resources = statement.value
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = length(var.parameters) > 0 ? "pull-log-parameters" : "pull-and-log"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_iam_role" "task" {
  name               = local.name
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task" {
  name   = var.task_policy.name
  role   = aws_iam_role.task.id
  policy = var.task_policy.json
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.size.cpu
  memory                   = var.size.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # The caller's fields (environment, portMappings, stopTimeout...) plus what every app gets:
  # its image from this repository, its injected secrets, logs to its own group.
  container_definitions = jsonencode([merge(
    var.container,
    {
      name      = var.container_name
      image     = "${aws_ecr_repository.this.repository_url}:${var.image_tag}"
      essential = true
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_group.name
          awslogs-region        = data.aws_region.current.id
          awslogs-stream-prefix = var.name
        }
      }
    },
    length(var.parameters) == 0 ? {} : {
      secrets = [for name, arn in var.parameters : { name = name, valueFrom = arn }]
    },
  )])

  depends_on = [aws_iam_role_policy.execution, aws_iam_role_policy.task]
}
