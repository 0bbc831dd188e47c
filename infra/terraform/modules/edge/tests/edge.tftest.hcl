# websocket-edge's rollout and connection invariants, against a mocked AWS provider.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  name_prefix             = "relay-test"
  vpc_id                  = "vpc-0123456789abcdef0"
  public_subnet_ids       = ["subnet-0a", "subnet-0b"]
  private_subnet_ids      = ["subnet-1a", "subnet-1b"]
  security_group_ids      = { alb = "sg-alb", edge = "sg-edge" }
  kms_key_arn             = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  certificate_arn         = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000002"
  image_tag               = "test"
  members_table_arn       = "arn:aws:dynamodb:eu-west-1:111122223333:table/test-relay-members"
  members_index_arns      = ["arn:aws:dynamodb:eu-west-1:111122223333:table/test-relay-members/index/by-user"]
  conversations_table_arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/test-relay-conversations"
  table_prefix            = "test-"
  log_group               = { name = "/relay-test/websocket-edge", arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/relay-test/websocket-edge" }

  drain_window_seconds         = 60
  deregistration_delay_seconds = 90

  origin_verify_header = { name = "x-relay-origin-verify", values = ["0123456789abcdef0123456789abcdef"] }

  jwt = {
    issuer        = "https://auth.example.com/"
    parameter_arn = "arn:aws:ssm:eu-west-1:111122223333:parameter/relay-test/jwt/public-keys"
    fingerprint   = "abc"
  }

  redis = {
    url                   = "rediss://primary.example:6379"
    replication_group_id  = "relay-test"
    replication_group_arn = "arn:aws:elasticache:eu-west-1:111122223333:replicationgroup:relay-test"
    user_id               = "relay-test-edge"
    user_arn              = "arn:aws:elasticache:eu-west-1:111122223333:user:relay-test-edge"
  }

  autoscaling = {
    min_tasks                   = 2
    max_tasks                   = 4
    target_connections_per_task = 20000
    deployment_maximum_percent  = 150
  }
}

run "rollout_and_connections" {
  command = apply

  assert {
    condition     = floor(aws_ecs_service.edge.desired_count * aws_ecs_service.edge.deployment_maximum_percent / 100) >= aws_ecs_service.edge.desired_count + 1
    error_message = "At the minimum fleet a rollout must have room for at least one replacement task."
  }

  assert {
    condition     = aws_ecs_service.edge.deployment_minimum_healthy_percent == 100
    error_message = "A rollout must never stop a node before its replacement is healthy."
  }

  assert {
    condition     = tonumber(aws_lb_target_group.edge.deregistration_delay) >= var.drain_window_seconds + 10
    error_message = "The deregistration delay must cover the drain window plus a margin."
  }

  assert {
    condition     = module.task.container_definition.stopTimeout >= var.drain_window_seconds + 10 && module.task.container_definition.stopTimeout <= 120
    error_message = "stopTimeout must cover the drain (window + 10 s) within Fargate's 120 s."
  }

  assert {
    condition     = aws_lb.this.idle_timeout >= 2 * var.heartbeat_seconds
    error_message = "The ALB idle timeout must cover two heartbeats."
  }

  assert {
    condition = [
      for c in aws_lb_listener_rule.stream.condition : one(c.http_header).http_header_name if length(c.http_header) > 0
    ] == [var.origin_verify_header.name]
    error_message = "The stream rule must require the front door's origin-verify header."
  }

  assert {
    condition     = alltrue([for s in module.task.container_definition.secrets : can(regex("^arn:aws:(ssm|secretsmanager):", s.valueFrom))])
    error_message = "Every injected secret must come from SSM Parameter Store or Secrets Manager."
  }

  assert {
    condition     = contains([for s in module.task.container_definition.secrets : s.name], "MP_JWT_VERIFY_PUBLICKEY")
    error_message = "The token public keys must be injected from SSM."
  }

  assert {
    condition     = length([for e in module.task.container_definition.environment : e.name if can(regex("(?i)(password|secret|token|private|publickey_location)", e.name))]) == 0
    error_message = "No secret, and no key URL the private subnets cannot reach, may be a plain environment variable."
  }

  assert {
    condition = [
      for m in aws_appautoscaling_policy.connections_per_task.target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].metrics : m.expression if m.return_data
    ] == ["connections / 2 / tasks"]
    error_message = "ActiveConnectionCount counts both sides of the proxy: the scaling metric must halve it."
  }
}

run "no_room_for_a_replacement_at_125_percent" {
  command = plan

  variables {
    autoscaling = {
      min_tasks                   = 2
      max_tasks                   = 4
      target_connections_per_task = 20000
      deployment_maximum_percent  = 125
    }
  }

  expect_failures = [aws_ecs_service.edge]
}

run "deregistration_shorter_than_the_drain" {
  command = plan

  variables {
    deregistration_delay_seconds = 65
  }

  expect_failures = [aws_lb_target_group.edge]
}

run "idle_timeout_below_two_heartbeats" {
  command = plan

  variables {
    idle_timeout_seconds = 40
  }

  expect_failures = [var.idle_timeout_seconds]
}
