# The topic bootstrap: an ECS task definition that runs kafka-topics.sh with the MSK IAM login
# module inside the VPC, creating each topic if it is missing and setting its retention. It is
# started by scripts/create-topics.sh after every apply that changes topics; it is idempotent.

resource "aws_ecr_repository" "admin" {
  name                 = "${var.name_prefix}-kafka-admin"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecs_cluster" "admin" {
  name = "${var.name_prefix}-kafka-admin"
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

resource "aws_iam_role" "admin_execution" {
  name               = "${var.name_prefix}-kafka-admin-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "admin_execution" {
  statement {
    sid       = "PullBootstrapImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.admin.arn]
  }
  statement {
    sid       = "EcrLoginHasNoResourceScope"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${var.admin_log_group.arn}:*"]
  }
}

resource "aws_iam_role_policy" "admin_execution" {
  name   = "pull-and-log"
  role   = aws_iam_role.admin_execution.id
  policy = data.aws_iam_policy_document.admin_execution.json
}

resource "aws_iam_role" "admin_task" {
  name               = "${var.name_prefix}-kafka-admin"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "admin_task" {
  statement {
    sid       = "ConnectToCluster"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_serverless_cluster.this.arn]
  }
  statement {
    sid = "ManageRelayTopicsOnly"
    actions = [
      "kafka-cluster:CreateTopic",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:AlterTopic",
      "kafka-cluster:DescribeTopicDynamicConfiguration",
      "kafka-cluster:AlterTopicDynamicConfiguration",
    ]
    resources = values(local.topic_arns)
  }
}

resource "aws_iam_role_policy" "admin_task" {
  name   = "manage-topics"
  role   = aws_iam_role.admin_task.id
  policy = data.aws_iam_policy_document.admin_task.json
}

resource "aws_ecs_task_definition" "admin" {
  family                   = "${var.name_prefix}-kafka-admin"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.admin_execution.arn
  task_role_arn            = aws_iam_role.admin_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name      = "kafka-admin"
    image     = "${aws_ecr_repository.admin.repository_url}:${var.admin_image_tag}"
    essential = true
    environment = [
      { name = "BOOTSTRAP_SERVERS", value = data.aws_msk_bootstrap_brokers.this.bootstrap_brokers_sasl_iam },
      { name = "TOPIC_SPECS", value = local.topic_specs },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = var.admin_log_group.name
        awslogs-region        = data.aws_region.current.region
        awslogs-stream-prefix = "kafka-admin"
      }
    }
  }])
}
