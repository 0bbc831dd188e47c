variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 range of the VPC; split into one public and one private /20 per zone."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones to spread subnets over (MSK Serverless and Multi-AZ Redis need at least 2)."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be between 2 and 6."
  }
}

variable "interface_endpoint_services" {
  description = "AWS services reached through interface endpoints from the private subnets (no NAT gateway exists)."
  type        = list(string)
  # ssm: ECS injects the JWT public keys from Parameter Store over the task's own ENI.
  default = ["ecr.api", "ecr.dkr", "logs", "ssm", "elasticloadbalancing"]
}

variable "edge_port" {
  description = "TLS port websocket-edge listens on behind the ALB."
  type        = number
  default     = 8443
}

variable "alb_ingress_cloudfront_only" {
  description = "Admit only CloudFront's origin-facing addresses to the edge ALB (true when the front door is used)."
  type        = bool
  default     = true
}

variable "flow_logs" {
  description = "VPC flow logs (every accepted and rejected flow) to a CloudWatch log group encrypted with this key, kept this many days."
  type        = object({ kms_key_arn = string, retention_days = number })
}
