output "http_api_id" {
  description = "ID of the HTTP API (metric dimension ApiId)."
  value       = aws_apigatewayv2_api.this.id
}

output "api_origin" {
  description = "Custom domain of the HTTP API (host) and the regional name to point it at (CNAME host -> target)."
  value = {
    host   = aws_apigatewayv2_domain_name.origin.domain_name
    target = aws_apigatewayv2_domain_name.origin.domain_name_configuration[0].target_domain_name
  }
}

output "repair_sweep_schedule" {
  description = "Name of the EventBridge schedule that invokes ingest-fn's repair sweep."
  value       = aws_scheduler_schedule.repair_sweep.name
}

output "function_names" {
  description = "Lambda function name per app: ingest, sync."
  value       = { for key, fn in aws_lambda_function.this : key => fn.function_name }
}

output "fanout" {
  description = "ECS cluster and service of fanout-fn, and its image repository."
  value = {
    cluster_name   = module.task.cluster_name
    service_name   = aws_ecs_service.fanout.name
    repository_url = module.task.repository_url
  }
}
