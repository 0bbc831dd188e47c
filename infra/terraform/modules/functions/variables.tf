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
  description = "Customer managed KMS key (Lambda environment, ECR, secret decryption)."
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
  description = "Redis URL without credentials and the secret holding its AUTH token, from the redis module."
  type        = object({ url = string, auth_secret_arn = string })
}

variable "jwt" {
  description = "Issuer and public key location (JWKS URL or PEM URL) the apps verify RS256 tokens with."
  type        = object({ issuer = string, public_key_location = string })
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
  description = "Lambda timeout; stays under API Gateway's 30 s integration limit."
  type        = number
  default     = 15
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
