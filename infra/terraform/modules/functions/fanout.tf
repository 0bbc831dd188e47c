# fanout-fn: a Kafka consumer that runs all the time, commits offsets only after a record is
# routed, keeps its member cache and Redis connections warm, and drains in-flight work on
# SIGTERM within stopTimeout.

resource "aws_ecr_repository" "fanout" {
  name                 = "${var.name_prefix}-fanout"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecs_cluster" "fanout" {
  name = "${var.name_prefix}-fanout"

  setting {
    name  = "containerInsights"
    value = "enabled"
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

resource "aws_iam_role" "fanout_execution" {
  name               = "${var.name_prefix}-fanout-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "fanout_execution" {
  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.fanout.arn]
  }
  statement {
    sid       = "EcrLoginHasNoResourceScope"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${var.log_groups["fanout"].arn}:*"]
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

resource "aws_iam_role_policy" "fanout_execution" {
  name   = "pull-log-secrets"
  role   = aws_iam_role.fanout_execution.id
  policy = data.aws_iam_policy_document.fanout_execution.json
}

resource "aws_iam_role" "fanout" {
  name               = "${var.name_prefix}-fanout"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "fanout" {
  statement {
    sid       = "ExpandMembers"
    actions   = ["dynamodb:GetItem", "dynamodb:Query"]
    resources = [local.tables.members, local.tables.conversations]
  }
  statement {
    sid       = "ConnectIdempotentProducer"
    actions   = concat(local.kafka_connect, ["kafka-cluster:WriteDataIdempotently"])
    resources = [var.kafka.cluster_arn]
  }
  statement {
    sid       = "ConsumeMessagesAndSignals"
    actions   = local.kafka_consume
    resources = [var.kafka.topic_arns.messages, var.kafka.topic_arns.signals]
  }
  statement {
    sid       = "DeadLetterWhatCannotBeRouted"
    actions   = local.kafka_produce
    resources = [var.kafka.topic_arns.messages_dlq]
  }
  statement {
    sid       = "CommitOffsetsOfOwnGroup"
    actions   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    resources = ["${var.kafka.group_arn_prefix}/${var.fanout_group_id}"]
  }
}

resource "aws_iam_role_policy" "fanout" {
  name   = "fanout-least-privilege"
  role   = aws_iam_role.fanout.id
  policy = data.aws_iam_policy_document.fanout.json
}

resource "aws_ecs_task_definition" "fanout" {
  family                   = "${var.name_prefix}-fanout"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.fanout.cpu
  memory                   = var.fanout.memory
  execution_role_arn       = aws_iam_role.fanout_execution.arn
  task_role_arn            = aws_iam_role.fanout.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name        = "fanout-fn"
    image       = "${aws_ecr_repository.fanout.repository_url}:${var.fanout_image_tag}"
    essential   = true
    stopTimeout = 60
    environment = [
      for name, value in merge(local.common_environment, local.kafka_environment, {
        REDIS_URL      = var.redis.url
        KAFKA_GROUP_ID = var.fanout_group_id
      }) : { name = name, value = value }
    ]
    secrets = [
      { name = "QUARKUS_REDIS_PASSWORD", valueFrom = "${var.redis.auth_secret_arn}:password::" },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = var.log_groups["fanout"].name
        awslogs-region        = data.aws_region.current.region
        awslogs-stream-prefix = "fanout"
      }
    }
  }])
}

resource "aws_ecs_service" "fanout" {
  name            = "fanout-fn"
  cluster         = aws_ecs_cluster.fanout.arn
  task_definition = aws_ecs_task_definition.fanout.arn
  desired_count   = var.fanout.desired_count
  launch_type     = "FARGATE"

  # Consumers rebalance on every membership change; replacing one task at a time keeps the
  # group stable while the others keep consuming.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [var.security_group_ids["fanout"]]
    assign_public_ip = false
  }
}
