output "http_api_id" {
  description = "ID of the HTTP API (metric dimension ApiId)."
  value       = aws_apigatewayv2_api.this.id
}

output "http_api_endpoint" {
  description = "Default endpoint of the HTTP API (https://<id>.execute-api.<region>.amazonaws.com)."
  value       = aws_apigatewayv2_api.this.api_endpoint
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
