# Alarms that notice a dead fanout, failing functions, throttled tables, a hot Redis, and count
# connections right. Mocked AWS provider.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  name_prefix    = "relay-test"
  kms_key_arn    = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  http_api_id    = "abcdef0123"
  function_names = { ingest = "relay-test-ingest", sync = "relay-test-sync" }
  table_names    = { a = "test-a", b = "test-b" }
  redis_node_ids = ["relay-test-001", "relay-test-002"]
  fanout         = { cluster_name = "relay-test-fanout", service_name = "fanout-fn" }
  kafka          = { cluster_name = "relay-test", topics = { messages = "m", messages_dlq = "d", signals = "s" }, fanout_group_id = "g" }
  edge           = { alb_arn_suffix = "app/relay-test-edge/0123", target_group_arn_suffix = "targetgroup/relay-test-edge/0123" }
}

run "alarms" {
  command = apply

  assert {
    condition     = alltrue([for key in ["fanout-offset-lag", "fanout-time-lag", "fanout-no-running-task"] : aws_cloudwatch_metric_alarm.this[key].treat_missing_data == "breaching"])
    error_message = "A dead fanout stops its lag metrics: missing data must count as breaching."
  }

  assert {
    condition     = alltrue([for app in keys(var.function_names) : contains(keys(aws_cloudwatch_metric_alarm.this), "${app}-errors") && contains(keys(aws_cloudwatch_metric_alarm.this), "${app}-throttles")])
    error_message = "Every function needs an errors and a throttles alarm."
  }

  assert {
    condition     = length([for key, a in aws_cloudwatch_metric_alarm.this : key if a.namespace == "AWS/DynamoDB"]) == 2 * length(var.table_names)
    error_message = "Every table needs a read and a write throttling alarm."
  }

  assert {
    condition     = length([for key, a in aws_cloudwatch_metric_alarm.this : key if a.namespace == "AWS/ElastiCache"]) == 2 * length(var.redis_node_ids)
    error_message = "Every Redis node needs engine CPU and memory alarms."
  }

  assert {
    condition = (
      [for q in aws_cloudwatch_metric_alarm.edge_connections.metric_query : q.expression if q.return_data == true] == ["both_sides / 2"]
      && alltrue([for q in aws_cloudwatch_metric_alarm.edge_connections.metric_query : one(q.metric).period == 60 if length(q.metric) > 0])
    )
    error_message = "ActiveConnectionCount is a per-minute sum of both proxy sides: one-minute periods, halved."
  }
}
