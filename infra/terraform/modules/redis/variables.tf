variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets in at least two zones."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the replication group."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for at-rest encryption of the cache."
  type        = string
}

variable "engine" {
  description = "valkey or redis."
  type        = string
  default     = "valkey"
}

variable "engine_version" {
  description = "Engine version (Valkey 7.2+ or Redis OSS 7.x keep AUTH, TLS and pub/sub as Relay uses them)."
  type        = string
  default     = "8.0"
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "node_count" {
  description = "Primary plus replicas, spread across zones; at least 2 for automatic failover."
  type        = number
  default     = 2

  validation {
    condition     = var.node_count >= 2
    error_message = "Multi-AZ with automatic failover needs at least one replica (node_count >= 2)."
  }
}

variable "snapshot_retention_limit" {
  description = "Days of automatic snapshots. Redis holds nothing that is not also in DynamoDB, so 0 is acceptable."
  type        = number
  default     = 1
}

variable "apps" {
  description = "Apps that connect, each as its own IAM-authenticated user (ingest, fanout, edge)."
  type        = set(string)
}

variable "key_prefix" {
  description = "Prefix of every Redis key and channel (names module); the only ones the app users may touch."
  type        = string
}
