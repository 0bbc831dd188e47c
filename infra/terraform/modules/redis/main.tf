# Presence, per-node delivery channels and rate limits. Redis holds nothing that is not also in
# DynamoDB, so losing it delays pushes and loses nothing. Cluster mode is off: pub/sub channels
# stay on one shard and every node sees every publish.
#
# No password exists anywhere: every app connects as its own ElastiCache user with IAM
# authentication (AUTH <user> <SigV4 token>, a token valid 15 minutes, a connection at most
# 12 hours), so nothing secret reaches the Terraform state. Each user may touch only the
# contract's key and channel prefix; the default user is switched off.

locals {
  # IAM-authenticated users must have user_id == user_name (lower case).
  app_users = { for app in var.apps : app => lower("${var.name_prefix}-${replace(app, "_", "-")}") }
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name_prefix
  subnet_ids = var.subnet_ids
}

resource "aws_elasticache_user" "default" {
  user_id       = lower("${var.name_prefix}-default")
  user_name     = "default"
  engine        = var.engine
  access_string = "off -@all"

  authentication_mode {
    type = "no-password-required"
  }
}

resource "aws_elasticache_user" "app" {
  for_each = local.app_users

  user_id       = each.value
  user_name     = each.value
  engine        = var.engine
  access_string = "on ~${var.key_prefix}* &${var.key_prefix}* +@all"

  authentication_mode {
    type = "iam"
  }
}

resource "aws_elasticache_user_group" "this" {
  user_group_id = lower(var.name_prefix)
  engine        = var.engine
  user_ids      = concat([aws_elasticache_user.default.user_id], [for user in aws_elasticache_user.app : user.user_id])
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
  user_group_ids       = [aws_elasticache_user_group.this.user_group_id]

  automatic_failover_enabled = true
  multi_az_enabled           = true

  # A string in provider 5.x, a bool in 6.x; Terraform converts the literal either way.
  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"

  snapshot_retention_limit   = var.snapshot_retention_limit
  auto_minor_version_upgrade = true
  apply_immediately          = false
}
