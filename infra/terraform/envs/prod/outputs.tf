output "public_url" {
  description = "The one HTTPS host of the API (API.md)."
  value       = module.relay.public_url
}

output "cloudfront_domain_name" {
  description = "Point public_host at this name."
  value       = module.relay.cloudfront_domain_name
}

output "edge_alb_dns_name" {
  description = "Point edge_origin_host at this name (CNAME)."
  value       = module.relay.edge_alb_dns_name
}

output "api_origin_target" {
  description = "Point api_origin_host at this name (CNAME)."
  value       = module.relay.api_origin_target
}

output "jwt_public_keys_parameter" {
  description = "SSM parameter holding the token public keys."
  value       = module.relay.jwt_public_keys_parameter
}

output "repair_sweep_schedule" {
  description = "EventBridge schedule invoking ingest-fn's repair sweep."
  value       = module.relay.repair_sweep_schedule
}

output "table_names" {
  description = "Physical DynamoDB table names."
  value       = module.relay.table_names
}

output "image_repositories" {
  description = "Where to push the container images before applying a new tag."
  value       = module.relay.image_repositories
}

output "topic_bootstrap" {
  description = "Input of scripts/create-topics.sh."
  value       = module.relay.topic_bootstrap
}

output "alarm_topic_arn" {
  description = "SNS topic of every alarm."
  value       = module.relay.alarm_topic_arn
}
