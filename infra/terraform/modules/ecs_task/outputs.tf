output "cluster_arn" {
  description = "ARN of the app's ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "cluster_name" {
  description = "Name of the app's ECS cluster (metric dimension ClusterName)."
  value       = aws_ecs_cluster.this.name
}

output "task_definition_arn" {
  description = "ARN of the task definition's latest revision."
  value       = aws_ecs_task_definition.this.arn
}

output "repository_url" {
  description = "Where to push the app's image."
  value       = aws_ecr_repository.this.repository_url
}

output "container_definition" {
  description = "The task's one container definition as registered (environment, secrets, ports, stopTimeout)."
  value       = jsondecode(aws_ecs_task_definition.this.container_definitions)[0]
}
