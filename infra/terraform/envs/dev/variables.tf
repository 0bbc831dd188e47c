# What differs per deployment (terraform.tfvars); sizes are in main.tf.

variable "region" {
  description = "AWS region (one with MSK Serverless)."
  type        = string
}

variable "environment" {
  description = "Environment name; prefixes resources (relay-<environment>) and tables (<environment>-)."
  type        = string
  default     = "dev"
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

variable "api_origin_host" {
  description = "Host name of the HTTP API's custom domain (the front door's API origin), e.g. api-origin.chat.example.com (CNAME to api_origin_target)."
  type        = string
}

variable "api_certificate_arn" {
  description = "ACM certificate in this region for api_origin_host; null uses edge_certificate_arn (one wildcard certificate covers both)."
  type        = string
  default     = null
}

variable "origin_verify_secrets" {
  description = "Secret header value(s) CloudFront sends to its origins and the edge ALB requires: [current] or [current, previous] during a rotation; at least 32 characters each."
  type        = list(string)
  sensitive   = true
}

variable "jwt" {
  description = "Token issuer and its public keys: a JWKS with a distinct kid per key (two keys during a rotation) or one PEM public key."
  type        = object({ issuer = string, public_keys = string })
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

variable "alarm_email" {
  description = "Address subscribed to alarms; null for none."
  type        = string
  default     = null
}
