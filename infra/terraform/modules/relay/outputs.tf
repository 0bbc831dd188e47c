output "public_url" {
  description = "The one HTTPS host of the API (API.md)."
  value       = "https://${var.public_host}"
}

output "cloudfront_domain_name" {
  description = "Point public_host at this name."
  value       = module.frontdoor.domain_name
}

output "edge_alb_dns_name" {
  description = "Point edge_origin_host at this name (CNAME)."
  value       = module.edge.alb_dns_name
}

output "api_origin_target" {
  description = "Point api_origin_host at this name (CNAME)."
  value       = module.functions.api_origin.target
}

output "jwt_public_keys_parameter" {
  description = "SSM parameter holding the token public keys (rotate by applying a new jwt.public_keys)."
  value       = module.jwt_keys.parameter_name
}

output "repair_sweep_schedule" {
  description = "EventBridge schedule invoking ingest-fn's repair sweep."
  value       = module.functions.repair_sweep_schedule
}

output "table_names" {
  description = "Physical DynamoDB table names."
  value       = module.dynamodb.table_names
}

output "image_repositories" {
  description = "Where to push the container images before applying a new tag."
  value = {
    edge        = module.edge.service.repository_url
    fanout      = module.functions.fanout.repository_url
    kafka_admin = module.kafka.bootstrap_task.repository_url
  }
}

output "topic_bootstrap" {
  description = "Input of scripts/create-topics.sh."
  value       = module.kafka.bootstrap_task
}

output "alarm_topic_arn" {
  description = "SNS topic of every alarm."
  value       = module.observability.alarm_topic_arn
}
