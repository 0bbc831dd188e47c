output "alb_dns_name" {
  description = "DNS name of the edge ALB; the front door's origin host name must resolve to it (CNAME)."
  value       = aws_lb.this.dns_name
}

output "alb_arn_suffix" {
  description = "ALB ARN suffix (metric dimension LoadBalancer)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "Target group ARN suffix (metric dimension TargetGroup)."
  value       = aws_lb_target_group.edge.arn_suffix
}

output "service" {
  description = "ECS cluster and service of websocket-edge, and its image repository."
  value = {
    cluster_name   = module.task.cluster_name
    service_name   = aws_ecs_service.edge.name
    repository_url = module.task.repository_url
  }
}
