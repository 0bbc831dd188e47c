variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for log groups and the alarm topic."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of every log group."
  type        = number
  default     = 30
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic; null subscribes nobody."
  type        = string
  default     = null
}

variable "kafka" {
  description = "MSK cluster name, topic names and the fanout consumer group (alarm dimensions)."
  type = object({
    cluster_name    = string
    topics          = object({ messages = string, messages_dlq = string, signals = string })
    fanout_group_id = string
  })
}

variable "http_api_id" {
  description = "ID of the HTTP API in front of ingest and sync."
  type        = string
}

variable "edge" {
  description = "ALB and target group ARN suffixes of the edge (alarm dimensions)."
  type        = object({ alb_arn_suffix = string, target_group_arn_suffix = string })
}

variable "thresholds" {
  description = "Alarm thresholds."
  type = object({
    consumer_lag_messages  = number
    consumer_lag_seconds   = number
    dlq_messages           = number
    http_5xx_per_5min      = number
    lambda_errors_per_5min = number
    redis_percent          = number
    edge_connections       = number
  })
  default = {
    consumer_lag_messages  = 10000
    consumer_lag_seconds   = 10
    dlq_messages           = 0
    http_5xx_per_5min      = 10
    lambda_errors_per_5min = 5
    redis_percent          = 80
    edge_connections       = 400000
  }
}

variable "function_names" {
  description = "Lambda function name per app (ingest, sync): errors and throttles alarms."
  type        = map(string)
}

variable "table_names" {
  description = "Physical DynamoDB table name per base name: throttling alarms."
  type        = map(string)
}

variable "redis_node_ids" {
  description = "Cache cluster ID of every Redis node: engine CPU and memory alarms."
  type        = list(string)
}

variable "fanout" {
  description = "ECS cluster and service of fanout-fn: the no-running-task alarm."
  type        = object({ cluster_name = string, service_name = string })
}
