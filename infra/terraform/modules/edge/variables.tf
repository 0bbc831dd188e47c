variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target group."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of the internet-facing ALB."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Subnets of the edge tasks."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security group per component; alb and edge are used here."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "Customer managed KMS key (ECR repository, secret decryption)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate of the ALB's HTTPS listener (the origin host name the front door connects to)."
  type        = string
}

variable "image_tag" {
  description = "Tag of the websocket-edge image pushed to this module's ECR repository."
  type        = string
}

variable "edge_port" {
  description = "TLS port websocket-edge listens on; the ALB forwards to it over HTTPS."
  type        = number
  default     = 8443
}

variable "members_table_arn" {
  description = "ARN of the members table (acks raise deliveredSeq)."
  type        = string
}

variable "members_index_arns" {
  description = "GSI ARNs of the members table (a connecting user's conversations, by user)."
  type        = list(string)
}

variable "conversations_table_arn" {
  description = "ARN of the conversations table (member counts pick the large conversations to subscribe to)."
  type        = string
}

variable "table_prefix" {
  description = "Prefix of the physical table names, handed to the app as RELAY_DYNAMODB_TABLE_PREFIX."
  type        = string
}

variable "redis" {
  description = "Redis URL without credentials, replication group ID and ARN, and the edge's IAM-authenticated user."
  type        = object({ url = string, replication_group_id = string, replication_group_arn = string, user_id = string, user_arn = string })
}

variable "jwt" {
  description = "Token issuer, the SSM parameter holding the public keys and their fingerprint, from the jwt_keys module."
  type        = object({ issuer = string, parameter_arn = string, fingerprint = string })
}

variable "origin_verify_header" {
  description = "Header CloudFront adds to every origin request and the values the ALB accepts (the first is sent; two during a rotation). Requests without it get 403."
  type        = object({ name = string, values = list(string) })
  sensitive   = true

  validation {
    condition     = length(var.origin_verify_header.values) >= 1 && length(var.origin_verify_header.values) <= 2 && alltrue([for v in var.origin_verify_header.values : length(v) >= 32])
    error_message = "origin_verify_header needs one or two values (current, previous), each at least 32 characters."
  }
}

variable "log_group" {
  description = "Log group (name, arn) of the edge tasks."
  type        = object({ name = string, arn = string })
}

variable "drain_window_seconds" {
  description = "Window over which a draining node spreads its clients' reconnects (randomized reconnectAfterMs in [0, window))."
  type        = number
  default     = 60

  # Fargate gives a task at most 120 s after SIGTERM; the drain (window + 10 s) must fit in it.
  validation {
    condition     = var.drain_window_seconds >= 10 && var.drain_window_seconds <= 105
    error_message = "drain_window_seconds must be between 10 and 105 (Fargate's stopTimeout is at most 120 s)."
  }
}

variable "deregistration_delay_seconds" {
  description = "How long the ALB keeps a deregistering target's connections; must cover the drain window."
  type        = number
  default     = 90
}

variable "heartbeat_seconds" {
  description = "Interval of the edge's WebSocket heartbeat (DESIGN.md); a live connection is never silent longer."
  type        = number
  default     = 25
}

variable "idle_timeout_seconds" {
  description = "ALB idle timeout; at least two heartbeats, so only dead connections time out."
  type        = number
  default     = 3600

  validation {
    condition     = var.idle_timeout_seconds >= 2 * var.heartbeat_seconds && var.idle_timeout_seconds <= 4000
    error_message = "idle_timeout_seconds must cover two heartbeats (2 x heartbeat_seconds) and stay within the ALB's 4000 s."
  }
}

variable "task" {
  description = "Fargate size of one edge task."
  type        = object({ cpu = number, memory = number })
  default     = { cpu = 1024, memory = 2048 }
}

variable "autoscaling" {
  description = "Task count bounds, target concurrent connections per task, and the share of tasks replaced per deployment step."
  type = object({
    min_tasks                   = number
    max_tasks                   = number
    target_connections_per_task = number
    deployment_maximum_percent  = number
  })
  default = {
    min_tasks                   = 2
    max_tasks                   = 20
    target_connections_per_task = 20000
    deployment_maximum_percent  = 125
  }
}

variable "deletion_protection" {
  description = "Refuse ALB deletion (on in prod)."
  type        = bool
  default     = false
}
