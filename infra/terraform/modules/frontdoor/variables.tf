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

variable "api_origin_domain_name" {
  description = "Custom domain of the HTTP API (its execute-api endpoint is disabled)."
  type        = string
}

variable "origin_verify_header" {
  description = "Header added to every origin request; the first value is sent (the edge ALB accepts every listed value)."
  type        = object({ name = string, values = list(string) })
  sensitive   = true
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

variable "waf_rate_limit_per_5min" {
  description = "Requests per client IP in 5 minutes above which the WAF blocks it (a NAT may hide many users)."
  type        = number
  default     = 6000
}
