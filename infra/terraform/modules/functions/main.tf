# ingest-fn and sync-fn run as Lambda functions from their native function.zip (runtime
# provided.al2023) behind one HTTP API with path routing; ingest-fn's repair sweep runs on an
# EventBridge schedule (repair_sweep.tf). fanout-fn is a long-running Kafka
# consumer on ECS Fargate (fanout.tf; README explains the choice).

data "aws_region" "current" {}

locals {
  # Kafka client settings for MSK IAM over TLS, shared by every app that talks to Kafka.
  kafka_environment = {
    KAFKA_BOOTSTRAP_SERVERS                  = var.kafka.bootstrap_brokers
    KAFKA_SECURITY_PROTOCOL                  = "SASL_SSL"
    KAFKA_SASL_MECHANISM                     = "AWS_MSK_IAM"
    KAFKA_SASL_JAAS_CONFIG                   = "software.amazon.msk.auth.iam.IAMLoginModule required;"
    KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS = "software.amazon.msk.auth.iam.IAMClientCallbackHandler"
  }

  common_environment = {
    RELAY_DYNAMODB_TABLE_PREFIX = var.table_prefix
    RELAY_JWT_ISSUER            = var.jwt.issuer
  }

  # Redis with IAM authentication: the app signs a token for its user and the replication group.
  redis_environment = {
    for app, user in var.redis.users : app => {
      REDIS_URL                  = var.redis.url
      RELAY_REDIS_USER           = user.user_id
      RELAY_REDIS_IAM_CACHE_NAME = var.redis.replication_group_id
    }
  }

  lambdas = {
    ingest = {
      zip         = var.ingest_zip
      environment = merge(local.common_environment, local.kafka_environment, local.redis_environment["ingest"])
    }
    sync = {
      zip         = var.sync_zip
      environment = merge(local.common_environment, local.kafka_environment)
    }
  }
}

resource "aws_lambda_function" "this" {
  for_each = local.lambdas

  function_name    = "${var.name_prefix}-${each.key}"
  role             = aws_iam_role.lambda[each.key].arn
  filename         = each.value.zip
  source_code_hash = filebase64sha256(each.value.zip)
  runtime          = "provided.al2023"
  handler          = "not.used.in.provided.runtime"
  architectures    = ["x86_64"]
  memory_size      = var.lambda_memory_mb
  timeout          = var.lambda_timeout_seconds
  kms_key_arn      = var.kms_key_arn

  environment {
    # Lambda cannot inject SSM parameters: the public keys come from the same parameter ECS
    # injects, copied here at apply (a key change updates the functions in the same apply).
    # Quarkus native executables on Lambda run without the JVM's signal handlers.
    variables = merge(each.value.environment, {
      MP_JWT_VERIFY_PUBLICKEY = var.jwt.public_keys
      DISABLE_SIGNAL_HANDLERS = "true"
    })
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [var.security_group_ids[each.key]]
  }

  logging_config {
    log_format = "JSON"
    log_group  = var.log_groups[each.key].name
  }

  # Creating a function in a VPC checks ec2:CreateNetworkInterface at once: the role policy
  # must exist first (a reference to the role alone does not order it).
  depends_on = [aws_iam_role_policy.lambda]

  lifecycle {
    precondition {
      condition     = var.lambda_timeout_seconds > var.app_longest_wait_seconds
      error_message = "lambda_timeout_seconds must exceed app_longest_wait_seconds, or Lambda kills a request still waiting for its turn."
    }
  }
}
