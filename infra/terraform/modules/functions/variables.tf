variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "ingest_zip" {
  description = "Path of ingest-fn's native Lambda package (ingest-fn/target/function.zip after ./mvnw package -Pnative)."
  type        = string
}

variable "sync_zip" {
  description = "Path of sync-fn's native Lambda package (sync-fn/target/function.zip)."
  type        = string
}

variable "fanout_image_tag" {
  description = "Tag of the fanout-fn image pushed to this module's ECR repository."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the Lambda ENIs and the fanout tasks."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security group per component; ingest, sync and fanout are used here."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "Customer managed KMS key (Lambda environment, ECR)."
  type        = string
}

variable "table_prefix" {
  description = "Prefix of the physical table names, handed to the apps as RELAY_DYNAMODB_TABLE_PREFIX."
  type        = string
}

variable "table_roles" {
  description = "Base table name per role, from the names module."
  type        = object({ messages = string, conversations = string, members = string, idempotency = string })
}

variable "table_arns" {
  description = "Table ARN per base name, from the dynamodb module."
  type        = map(string)
}

variable "index_arns" {
  description = "GSI ARNs per base table name, from the dynamodb module."
  type        = map(list(string))
}

variable "kafka" {
  description = "MSK Serverless cluster ARN, bootstrap string, topic ARNs per role and group ARN prefix, from the kafka module."
  type = object({
    cluster_arn       = string
    bootstrap_brokers = string
    topic_arns        = object({ messages = string, messages_dlq = string, signals = string })
    group_arn_prefix  = string
  })
}

variable "consumer_groups" {
  description = "Kafka consumer groups of fanout-fn (messages, signals), from the names module."
  type        = object({ fanout_messages = string, fanout_signals = string, fanout_dlq_replay = string })
}

variable "redis" {
  description = "Redis URL without credentials, replication group ID and ARN, and the IAM-authenticated user per app (ingest, fanout), from the redis module."
  type = object({
    url                   = string
    replication_group_id  = string
    replication_group_arn = string
    users                 = map(object({ user_id = string, arn = string }))
  })
}

variable "jwt" {
  description = "Token issuer, the public keys (JWKS or PEM), their SSM parameter ARN and fingerprint, from the jwt_keys module."
  type        = object({ issuer = string, public_keys = string, parameter_arn = string, fingerprint = string })
}

variable "log_groups" {
  description = "Log group (name, arn) per app: ingest, sync, fanout, api."
  type        = map(object({ name = string, arn = string }))
}

variable "lambda_memory_mb" {
  description = "Memory of each Lambda function (CPU scales with it)."
  type        = number
  default     = 512
}

variable "lambda_timeout_seconds" {
  description = "Lambda timeout: above the integration timeout, so API Gateway gives up before a request is killed, and long enough for one repair sweep."
  type        = number
  default     = 35
}

variable "integration_timeout_seconds" {
  description = "HTTP API integration timeout (at most 30 s for HTTP APIs)."
  type        = number
  default     = 30

  validation {
    condition     = var.integration_timeout_seconds >= 1 && var.integration_timeout_seconds <= 30
    error_message = "HTTP API integrations time out after at most 30 s."
  }
}

variable "app_longest_wait_seconds" {
  description = "Longest time an app request may wait before answering 503: ingest's relay.ingest.append.max-wait (25 s)."
  type        = number
  default     = 25
}

variable "repair_sweep" {
  description = "EventBridge schedule that invokes ingest-fn's repair sweep (Quarkus @Scheduled does not run on a frozen Lambda), and the path of the synthetic HTTP event it sends."
  type        = object({ schedule = string, path = string })
  default     = { schedule = "rate(1 minute)", path = "/internal/repair-sweep" }
}

variable "api_origin" {
  description = "Custom domain of the HTTP API (the front door's origin; the execute-api endpoint is disabled) and its regional ACM certificate."
  type        = object({ host = string, certificate_arn = string })
}

variable "fanout" {
  description = "Fargate size and task count of fanout-fn. More tasks than messages partitions sit idle."
  type        = object({ cpu = number, memory = number, desired_count = number })
  default     = { cpu = 1024, memory = 2048, desired_count = 2 }
}

variable "api_throttling" {
  description = "Default route throttling of the HTTP API."
  type        = object({ burst_limit = number, rate_limit = number })
  default     = { burst_limit = 2000, rate_limit = 1000 }
}
