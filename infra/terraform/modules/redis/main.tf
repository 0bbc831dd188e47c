# Presence, per-node delivery channels and rate limits. Redis holds nothing that is not also in
# DynamoDB, so losing it delays pushes and loses nothing. Cluster mode is off: pub/sub channels
# stay on one shard and every node sees every publish.

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name_prefix
  subnet_ids = var.subnet_ids
}

# The AUTH token is generated once and kept in Secrets Manager; the replication group reads it
# from the secret version, so the secret is the only place an operator or an app looks it up.
data "aws_secretsmanager_random_password" "auth" {
  password_length     = 64
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "auth" {
  name                    = "${var.name_prefix}/redis-auth"
  description             = "AUTH token of the ${var.name_prefix} Redis replication group"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "auth" {
  secret_id     = aws_secretsmanager_secret.auth.id
  secret_string = jsonencode({ password = data.aws_secretsmanager_random_password.auth.random_password })

  # The data source draws a new password on every read; the first one stays until rotated.
  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name_prefix
  description          = "Relay presence, delivery channels and rate limits"
  engine               = var.engine
  engine_version       = var.engine_version
  node_type            = var.node_type
  num_cache_clusters   = var.node_count
  port                 = 6379
  subnet_group_name    = aws_elasticache_subnet_group.this.name
  security_group_ids   = [var.security_group_id]

  automatic_failover_enabled = true
  multi_az_enabled           = true

  at_rest_encryption_enabled = "true"
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = jsondecode(aws_secretsmanager_secret_version.auth.secret_string).password
  auth_token_update_strategy = "ROTATE"

  snapshot_retention_limit   = var.snapshot_retention_limit
  auto_minor_version_upgrade = true
  apply_immediately          = false
}
