variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "topics" {
  description = "Topic names from the names module: messages, messages_dlq, signals."
  type        = object({ messages = string, messages_dlq = string, signals = string })
}

variable "topic_settings" {
  description = "Partitions and retention per topic role. messages is keyed by conversationId, so partitions bound fanout parallelism."
  type = map(object({
    partitions   = number
    retention_ms = number
  }))
  default = {
    messages     = { partitions = 12, retention_ms = 604800000 } # 7 days: replay window for fanout
    messages_dlq = { partitions = 3, retention_ms = 1209600000 } # 14 days: time to inspect and replay
    signals      = { partitions = 6, retention_ms = 3600000 }    # 1 hour: at-most-once, never replayed
  }

  validation {
    condition     = alltrue([for role in keys(var.topics) : contains(keys(var.topic_settings), role)])
    error_message = "topic_settings needs an entry for every topic role of var.topics."
  }
}

variable "subnet_ids" {
  description = "Private subnets (at least two zones) for the cluster and the bootstrap task."
  type        = list(string)
}

variable "cluster_security_group_id" {
  description = "Security group of the MSK cluster."
  type        = string
}

variable "admin_security_group_id" {
  description = "Security group of the topic bootstrap task."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the bootstrap image repository."
  type        = string
}

variable "admin_log_group" {
  description = "CloudWatch log group (name and ARN) of the topic bootstrap task."
  type        = object({ name = string, arn = string })
}

variable "admin_image_tag" {
  description = "Tag of the kafka-admin image in this module's ECR repository (see infra/terraform/kafka-admin)."
  type        = string
  default     = "1"
}
