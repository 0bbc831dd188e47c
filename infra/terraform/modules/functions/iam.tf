# One role per function, each allowed exactly the tables, indexes, actions and topics it uses.
# DynamoDB authorizes a TransactWriteItems call item by item, as PutItem, UpdateItem, DeleteItem
# or ConditionCheckItem on each table it touches; there is no separate transaction action.

locals {
  tables = { for role, base in var.table_roles : role => var.table_arns[base] }

  kafka_connect = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
  kafka_produce = ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"]
  kafka_consume = ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"]

  # Statements per app: [sid, actions, resources].
  dynamodb_statements = {
    ingest = [
      ["CommitSendsAndConversations",
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:Query"],
      [local.tables.messages, local.tables.conversations, local.tables.members, local.tables.idempotency]],
      ["WriteMembershipInBulk",
        ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem"],
      [local.tables.members]],
      ["SweepUnpublishedConversations",
        ["dynamodb:Query"],
      var.index_arns[var.table_roles.conversations]],
    ]
    sync = [
      ["ReadLogConversationsMembers",
        ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
      [local.tables.messages, local.tables.conversations, local.tables.members]],
      ["ListConversationsOfUser",
        ["dynamodb:Query"],
      var.index_arns[var.table_roles.members]],
      ["RaiseWatermarks",
        ["dynamodb:UpdateItem"],
      [local.tables.members]],
    ]
  }

  kafka_statements = {
    ingest = [
      ["ConnectIdempotentProducer", concat(local.kafka_connect, ["kafka-cluster:WriteDataIdempotently"]), [var.kafka.cluster_arn]],
      ["PublishMessagesAndSignals", local.kafka_produce, [var.kafka.topic_arns.messages, var.kafka.topic_arns.signals]],
    ]
    # Read receipts are at-most-once signals routed by fanout.
    sync = [
      ["ConnectIdempotentProducer", concat(local.kafka_connect, ["kafka-cluster:WriteDataIdempotently"]), [var.kafka.cluster_arn]],
      ["PublishReceipts", local.kafka_produce, [var.kafka.topic_arns.signals]],
    ]
  }
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  for_each           = local.lambdas
  name               = "${var.name_prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "lambda" {
  for_each = local.lambdas

  dynamic "statement" {
    for_each = concat(local.dynamodb_statements[each.key], local.kafka_statements[each.key])
    content {
      sid       = statement.value[0]
      actions   = statement.value[1]
      resources = statement.value[2]
    }
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${var.log_groups[each.key].arn}:*"]
  }

  # Lambda attaches the function to the VPC through ENIs; these EC2 actions have no resource scope.
  statement {
    sid = "ManageVpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
      "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
  }

  # IAM authentication to Redis as the function's own user (ingest only).
  dynamic "statement" {
    for_each = contains(keys(var.redis.users), each.key) ? [var.redis.users[each.key].arn] : []
    content {
      sid       = "ConnectToRedisAsOwnUser"
      actions   = ["elasticache:Connect"]
      resources = [var.redis.replication_group_arn, statement.value]
    }
  }
}

resource "aws_iam_role_policy" "lambda" {
  for_each = local.lambdas
  name     = "${each.key}-least-privilege"
  role     = aws_iam_role.lambda[each.key].id
  policy   = data.aws_iam_policy_document.lambda[each.key].json
}
