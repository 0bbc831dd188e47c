# ingest-fn / sync-fn on Lambda and fanout-fn on ECS: timeouts, the repair sweep schedule, the
# front door as the only way in, and no secret in plain configuration. Mocked AWS provider.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  name_prefix        = "relay-test"
  ingest_zip         = "../../tests/fixtures/function.zip"
  sync_zip           = "../../tests/fixtures/function.zip"
  fanout_image_tag   = "test"
  subnet_ids         = ["subnet-1a", "subnet-1b"]
  security_group_ids = { ingest = "sg-ingest", sync = "sg-sync", fanout = "sg-fanout" }
  kms_key_arn        = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  table_prefix       = "test-"
  api_origin         = { host = "api-origin.chat.example.com", certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000002" }

  kafka = {
    cluster_arn       = "arn:aws:kafka:eu-west-1:111122223333:cluster/relay-test/uuid"
    bootstrap_brokers = "b-1.example:9098"
    topic_arns = {
      messages     = "arn:aws:kafka:eu-west-1:111122223333:topic/relay-test/uuid/messages"
      messages_dlq = "arn:aws:kafka:eu-west-1:111122223333:topic/relay-test/uuid/messages-dlq"
      signals      = "arn:aws:kafka:eu-west-1:111122223333:topic/relay-test/uuid/signals"
    }
    group_arn_prefix = "arn:aws:kafka:eu-west-1:111122223333:group/relay-test/uuid"
  }

  redis = {
    url                   = "rediss://primary.example:6379"
    replication_group_id  = "relay-test"
    replication_group_arn = "arn:aws:elasticache:eu-west-1:111122223333:replicationgroup:relay-test"
    users = {
      ingest = { user_id = "relay-test-ingest", arn = "arn:aws:elasticache:eu-west-1:111122223333:user:relay-test-ingest" }
      fanout = { user_id = "relay-test-fanout", arn = "arn:aws:elasticache:eu-west-1:111122223333:user:relay-test-fanout" }
    }
  }

  jwt = {
    issuer        = "https://auth.example.com/"
    public_keys   = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\"},{\"kty\":\"RSA\",\"kid\":\"b\"}]}"
    parameter_arn = "arn:aws:ssm:eu-west-1:111122223333:parameter/relay-test/jwt/public-keys"
    fingerprint   = "abc"
  }

  log_groups = {
    for app in ["ingest", "sync", "fanout", "api"] : app => {
      name = "/relay-test/${app}"
      arn  = "arn:aws:logs:eu-west-1:111122223333:log-group:/relay-test/${app}"
    }
  }
}

# The contract's table and consumer group names, without spelling them here.
run "names" {
  command = apply
  module {
    source = "../names"
  }
}

run "functions" {
  command = apply

  variables {
    table_roles     = run.names.table_roles
    consumer_groups = run.names.consumer_groups
    table_arns      = { for role, base in run.names.table_roles : base => "arn:aws:dynamodb:eu-west-1:111122223333:table/test-${base}" }
    index_arns      = { for role, base in run.names.table_roles : base => ["arn:aws:dynamodb:eu-west-1:111122223333:table/test-${base}/index/gsi"] }
  }

  assert {
    condition     = alltrue([for fn in aws_lambda_function.this : fn.timeout > var.app_longest_wait_seconds])
    error_message = "Every Lambda timeout must exceed the app's longest wait (ingest's append max-wait)."
  }

  assert {
    condition = alltrue([
      for integration in aws_apigatewayv2_integration.this :
      integration.timeout_milliseconds <= 30000 && integration.timeout_milliseconds >= (var.app_longest_wait_seconds + 3) * 1000
    ])
    error_message = "The integration must wait for the app's own 503 and stay within HTTP API's 30 s."
  }

  assert {
    condition     = alltrue([for fn in aws_lambda_function.this : fn.timeout * 1000 >= aws_apigatewayv2_integration.this["ingest"].timeout_milliseconds])
    error_message = "A function must outlive its integration, so API Gateway gives up first and no request dies mid-transaction."
  }

  assert {
    condition     = aws_scheduler_schedule.repair_sweep.state == "ENABLED" && startswith(aws_scheduler_schedule.repair_sweep.schedule_expression, "rate(")
    error_message = "The repair sweep must run on a schedule."
  }

  assert {
    condition     = one(aws_scheduler_schedule.repair_sweep.target).arn == aws_lambda_function.this["ingest"].arn
    error_message = "The repair sweep schedule must invoke ingest-fn."
  }

  assert {
    condition     = jsondecode(one(aws_scheduler_schedule.repair_sweep.target).input).rawPath == var.repair_sweep.path && jsondecode(one(aws_scheduler_schedule.repair_sweep.target).input).requestContext.http.method == "POST"
    error_message = "The schedule sends a synthetic HTTP API event for POST <repair_sweep.path>."
  }

  assert {
    condition     = !contains([for route in keys(aws_apigatewayv2_route.this) : split(" ", route)[1]], var.repair_sweep.path)
    error_message = "The repair sweep path must not be reachable through the HTTP API."
  }

  assert {
    condition     = aws_apigatewayv2_api.this.disable_execute_api_endpoint
    error_message = "The default execute-api endpoint must be off: the front door is the only way in."
  }

  assert {
    condition     = alltrue([for fn in aws_lambda_function.this : fn.environment[0].variables.MP_JWT_VERIFY_PUBLICKEY == var.jwt.public_keys])
    error_message = "Every function must receive the public keys from the SSM parameter's value."
  }

  assert {
    condition = alltrue(flatten([
      for fn in aws_lambda_function.this : [
        for name in keys(fn.environment[0].variables) : !can(regex("(?i)(password|secret|token|private|publickey_location)", name))
      ]
    ]))
    error_message = "No secret, and no key URL the private subnets cannot reach, may be a Lambda environment variable."
  }

  assert {
    condition     = alltrue([for s in module.task.container_definition.secrets : can(regex("^arn:aws:(ssm|secretsmanager):", s.valueFrom))])
    error_message = "Every secret injected into fanout-fn must come from SSM Parameter Store or Secrets Manager."
  }

  assert {
    condition     = length([for e in module.task.container_definition.environment : e.name if can(regex("(?i)(password|secret|token|private|publickey_location)", e.name))]) == 0
    error_message = "No secret may be a plain environment variable of fanout-fn."
  }

  assert {
    condition     = floor(aws_ecs_service.fanout.desired_count * aws_ecs_service.fanout.deployment_maximum_percent / 100) >= aws_ecs_service.fanout.desired_count + 1
    error_message = "fanout-fn rollouts need room for one replacement task."
  }
}

run "timeout_below_the_apps_longest_wait" {
  command = plan

  variables {
    table_roles            = run.names.table_roles
    consumer_groups        = run.names.consumer_groups
    table_arns             = { for role, base in run.names.table_roles : base => "arn:aws:dynamodb:eu-west-1:111122223333:table/test-${base}" }
    index_arns             = { for role, base in run.names.table_roles : base => ["arn:aws:dynamodb:eu-west-1:111122223333:table/test-${base}/index/gsi"] }
    lambda_timeout_seconds = 15
  }

  expect_failures = [aws_lambda_function.this]
}
