output "primary_endpoint" {
  description = "Primary endpoint address (TLS on port 6379)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "url" {
  description = "Connection URL without credentials (rediss:// = TLS); the password is in auth_secret_arn."
  value       = "rediss://${aws_elasticache_replication_group.this.primary_endpoint_address}:6379"
}

output "auth_secret_arn" {
  description = "Secrets Manager secret holding {\"password\": <AUTH token>}."
  value       = aws_secretsmanager_secret.auth.arn
}

output "replication_group_id" {
  description = "Replication group ID (metric dimension)."
  value       = aws_elasticache_replication_group.this.id
}
