output "primary_endpoint" {
  description = "Primary endpoint address (TLS on port 6379)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "url" {
  description = "Connection URL without credentials (rediss:// = TLS); apps authenticate as their IAM user."
  value       = "rediss://${aws_elasticache_replication_group.this.primary_endpoint_address}:6379"
}

output "replication_group_id" {
  description = "Replication group ID: the host name signed into an IAM auth token, and the metric dimension prefix."
  value       = aws_elasticache_replication_group.this.id
}

output "replication_group_arn" {
  description = "Replication group ARN (elasticache:Connect resource)."
  value       = aws_elasticache_replication_group.this.arn
}

output "users" {
  description = "IAM-authenticated user per app: user_id (= user name) and ARN (elasticache:Connect resource)."
  value       = { for app, user in aws_elasticache_user.app : app => { user_id = user.user_id, arn = user.arn } }
}

output "node_ids" {
  description = "Cache cluster ID of every node (CacheClusterId metric dimension): <group>-001, -002, ..."
  value       = [for i in range(var.node_count) : format("%s-%03d", var.name_prefix, i + 1)]
}
