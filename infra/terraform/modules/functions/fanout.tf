# fanout-fn: a Kafka consumer that runs all the time, commits offsets only after a record is
# routed, keeps its member cache and Redis connections warm, and drains in-flight work on
# SIGTERM within stopTimeout.

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
    sid       = "ReplayDeadLetters"
    actions   = local.kafka_consume
    resources = [var.kafka.topic_arns.messages_dlq]
  }
  statement {
    sid       = "RepublishReplayedDeadLetters"
    actions   = local.kafka_produce
    resources = [var.kafka.topic_arns.messages]
  }
  statement {
    sid       = "ConnectToRedisAsOwnUser"
    actions   = ["elasticache:Connect"]
    resources = [var.redis.replication_group_arn, var.redis.users.fanout.arn]
  }
  statement {
    sid     = "CommitOffsetsOfOwnGroups"
    actions = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    resources = [
      "${var.kafka.group_arn_prefix}/${var.consumer_groups.fanout_messages}",
      "${var.kafka.group_arn_prefix}/${var.consumer_groups.fanout_signals}",
      "${var.kafka.group_arn_prefix}/${var.consumer_groups.fanout_dlq_replay}",
    ]
  }
}

module "task" {
  source         = "../ecs_task"
  name_prefix    = var.name_prefix
  name           = "fanout"
  container_name = "fanout-fn"
  image_tag      = var.fanout_image_tag
  size           = { cpu = var.fanout.cpu, memory = var.fanout.memory }
  kms_key_arn    = var.kms_key_arn
  log_group      = var.log_groups["fanout"]
  parameters     = { MP_JWT_VERIFY_PUBLICKEY = var.jwt.parameter_arn }

  task_policy = {
    name = "fanout-least-privilege"
    json = data.aws_iam_policy_document.fanout.json
  }

  container = {
    stopTimeout = 60
    environment = [
      for name, value in merge(local.common_environment, local.kafka_environment, local.redis_environment["fanout"], {
        RELAY_FANOUT_GROUP         = var.consumer_groups.fanout_messages
        RELAY_FANOUT_SIGNALS_GROUP = var.consumer_groups.fanout_signals
        # Injected keys are read at task start: a new fingerprint is a new revision, so a key
        # change rolls the service.
        RELAY_JWT_KEYS_SHA256 = var.jwt.fingerprint
      }) : { name = name, value = value }
    ]
  }
}

resource "aws_ecs_service" "fanout" {
  name            = "fanout-fn"
  cluster         = module.task.cluster_arn
  task_definition = module.task.task_definition_arn
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
