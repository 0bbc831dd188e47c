variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "aliases" {
  description = "Public host names of Relay (one is enough: API.md's single HTTPS host)."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate in us-east-1 covering the aliases."
  type        = string
}

variable "http_api_endpoint" {
  description = "Default endpoint of the HTTP API (https://<id>.execute-api.<region>.amazonaws.com)."
  type        = string
}

variable "edge_origin_domain_name" {
  description = "Host name the edge ALB's certificate covers, resolving (CNAME) to the ALB."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_100"
}

variable "web_acl_id" {
  description = "Optional WAF web ACL ARN."
  type        = string
  default     = null
}
