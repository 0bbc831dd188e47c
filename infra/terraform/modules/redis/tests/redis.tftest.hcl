# No password anywhere: IAM-authenticated users per app, the default user off, TLS required.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  name_prefix       = "relay-test"
  subnet_ids        = ["subnet-1a", "subnet-1b"]
  security_group_id = "sg-redis"
  kms_key_arn       = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  apps              = ["ingest", "fanout", "edge"]
  key_prefix        = "test:"
  node_count        = 3
}

run "iam_auth" {
  command = apply

  assert {
    condition     = aws_elasticache_replication_group.this.auth_token == null
    error_message = "No AUTH token: it would sit in the Terraform state in plain text."
  }

  assert {
    condition     = alltrue([for u in aws_elasticache_user.app : one(u.authentication_mode).type == "iam" && u.user_id == u.user_name])
    error_message = "Every app user authenticates with IAM (user_id == user_name)."
  }

  assert {
    condition     = startswith(aws_elasticache_user.default.access_string, "off")
    error_message = "The default user must be switched off."
  }

  assert {
    condition     = alltrue([for u in aws_elasticache_user.app : strcontains(u.access_string, "~${var.key_prefix}*") && strcontains(u.access_string, "&${var.key_prefix}*")])
    error_message = "App users may touch only the contract's key and channel prefix."
  }

  assert {
    condition     = aws_elasticache_replication_group.this.transit_encryption_enabled && aws_elasticache_replication_group.this.transit_encryption_mode == "required"
    error_message = "TLS is required."
  }

  assert {
    condition     = output.node_ids == ["relay-test-001", "relay-test-002", "relay-test-003"]
    error_message = "Node IDs follow ElastiCache's <group>-NNN naming."
  }
}
