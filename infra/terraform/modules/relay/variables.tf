variable "environment" {
  description = "Environment name; prefixes resources (relay-<environment>) and tables (<environment>-)."
  type        = string
}

variable "az_count" {
  description = "Availability zones used."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse deletion of tables and of the edge ALB (always on in prod)."
  type        = bool

  validation {
    condition     = var.deletion_protection || var.environment != "prod"
    error_message = "prod keeps deletion protection on."
  }
}

variable "public_host" {
  description = "The one public host name, e.g. chat.example.com."
  type        = string
}

variable "cloudfront_certificate_arn" {
  description = "ACM certificate in us-east-1 for public_host."
  type        = string
}

variable "edge_origin_host" {
  description = "Host name CloudFront uses to reach the edge ALB, e.g. edge-origin.chat.example.com (CNAME to the ALB)."
  type        = string
}

variable "edge_certificate_arn" {
  description = "ACM certificate in this region for edge_origin_host."
  type        = string
}

variable "jwt" {
  description = "Token issuer and its public keys: a JWKS (each key with a distinct kid; two during a rotation) or one PEM public key. Kept in SSM Parameter Store."
  type        = object({ issuer = string, public_keys = string })
}

variable "api_origin_host" {
  description = "Host name of the HTTP API's custom domain, the front door's API origin, e.g. api-origin.chat.example.com (CNAME to api_origin_target)."
  type        = string
}

variable "api_certificate_arn" {
  description = "ACM certificate in this region for api_origin_host; null uses edge_certificate_arn (e.g. one wildcard certificate)."
  type        = string
  default     = null
}

variable "origin_verify_secrets" {
  description = "Secret value(s) of the header CloudFront adds to origin requests: the first is sent, all are accepted by the edge ALB (two during a rotation). At least 32 characters."
  type        = list(string)
  sensitive   = true
}

variable "ingest_zip" {
  description = "ingest-fn native package; defaults to ingest-fn/target/function.zip of this checkout."
  type        = string
  default     = null
}

variable "sync_zip" {
  description = "sync-fn native package; defaults to sync-fn/target/function.zip of this checkout."
  type        = string
  default     = null
}

variable "edge_image_tag" {
  description = "websocket-edge image tag in its ECR repository."
  type        = string
}

variable "fanout_image_tag" {
  description = "fanout-fn image tag in its ECR repository."
  type        = string
}

variable "kafka_admin_image_tag" {
  description = "Topic bootstrap image tag in its ECR repository."
  type        = string
  default     = "1"
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "redis_node_count" {
  description = "Primary plus replicas."
  type        = number
}

variable "fanout" {
  description = "fanout-fn task size and count."
  type        = object({ cpu = number, memory = number, desired_count = number })
}

variable "edge_drain_window_seconds" {
  description = "Drain window of an edge node; the ALB deregistration delay is this plus 30 s."
  type        = number
  default     = 60
}

variable "edge_autoscaling" {
  description = "Edge task bounds, target connections per task, deployment step."
  type = object({
    min_tasks                   = number
    max_tasks                   = number
    target_connections_per_task = number
    deployment_maximum_percent  = number
  })
}

variable "log_retention_days" {
  description = "Retention of every log group."
  type        = number
}

variable "alarm_email" {
  description = "Address subscribed to alarms; null for none."
  type        = string
  default     = null
}
