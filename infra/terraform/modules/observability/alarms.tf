# Alarms on what breaks the promises of DESIGN.md: consumer lag (pushes late; missing data
# counts as breaching, since a dead fanout stops the metric), no fanout task running, DLQ growth
# (pushes given up on), 5xx (sends or syncs failing), Lambda errors and throttles, DynamoDB
# throttling, Redis engine CPU and memory, and edge connection count (capacity).

resource "aws_sns_topic" "alarms" {
  name              = "${var.name_prefix}-alarms"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  fanout_lag_dimensions = {
    "Cluster Name"   = var.kafka.cluster_name
    "Consumer Group" = var.kafka.fanout_group_id
    "Topic"          = var.kafka.topics.messages
  }

  alarms = {
    fanout-offset-lag = {
      description = "fanout-fn is behind on the messages topic: online recipients get pushes late."
      namespace   = "AWS/Kafka"
      metric      = "MaxOffsetLag"
      statistic   = "Maximum"
      dimensions  = local.fanout_lag_dimensions
      threshold   = var.thresholds.consumer_lag_messages
      periods     = 3
      missing     = "breaching"
    }
    fanout-time-lag = {
      description = "Oldest unconsumed message on the messages topic is older than the threshold (seconds)."
      namespace   = "AWS/Kafka"
      metric      = "EstimatedMaxTimeLag"
      statistic   = "Maximum"
      dimensions  = local.fanout_lag_dimensions
      threshold   = var.thresholds.consumer_lag_seconds
      periods     = 3
      missing     = "breaching"
    }
    dlq-growth = {
      description = "fanout-fn dead-lettered messages: inspect the reason headers and replay."
      namespace   = "AWS/Kafka"
      metric      = "MessagesInPerSec"
      statistic   = "Sum"
      dimensions  = { "Cluster Name" = var.kafka.cluster_name, "Topic" = var.kafka.topics.messages_dlq }
      threshold   = var.thresholds.dlq_messages
      periods     = 1
    }
    http-api-5xx = {
      description = "ingest-fn or sync-fn answered 5xx (a 500 is a bug; a 503 means a store is down)."
      namespace   = "AWS/ApiGateway"
      metric      = "5xx"
      statistic   = "Sum"
      dimensions  = { ApiId = var.http_api_id }
      threshold   = var.thresholds.http_5xx_per_5min
      periods     = 1
    }
    edge-target-5xx = {
      description = "websocket-edge answered 5xx to upgrades or health checks."
      namespace   = "AWS/ApplicationELB"
      metric      = "HTTPCode_Target_5XX_Count"
      statistic   = "Sum"
      dimensions  = { LoadBalancer = var.edge.alb_arn_suffix }
      threshold   = var.thresholds.http_5xx_per_5min
      periods     = 1
    }
    edge-alb-5xx = {
      description = "The edge ALB answered 5xx itself (no healthy target, target reset)."
      namespace   = "AWS/ApplicationELB"
      metric      = "HTTPCode_ELB_5XX_Count"
      statistic   = "Sum"
      dimensions  = { LoadBalancer = var.edge.alb_arn_suffix }
      threshold   = var.thresholds.http_5xx_per_5min
      periods     = 1
    }
    edge-unhealthy-targets = {
      description = "An edge task fails its readiness check (Redis or DynamoDB unreachable)."
      namespace   = "AWS/ApplicationELB"
      metric      = "UnHealthyHostCount"
      statistic   = "Maximum"
      dimensions  = { LoadBalancer = var.edge.alb_arn_suffix, TargetGroup = var.edge.target_group_arn_suffix }
      threshold   = 0
      periods     = 3
    }
    fanout-no-running-task = {
      description = "No fanout-fn task is running: nobody consumes messages, pushes stop."
      namespace   = "ECS/ContainerInsights"
      metric      = "RunningTaskCount"
      statistic   = "Minimum"
      dimensions  = { ClusterName = var.fanout.cluster_name, ServiceName = var.fanout.service_name }
      threshold   = 1
      periods     = 2
      comparison  = "LessThanThreshold"
      missing     = "breaching"
    }
  }

  function_alarms = merge([
    for app, function_name in var.function_names : {
      "${app}-errors" = {
        description = "${function_name} failed invocations (unhandled errors, timeouts, crashes)."
        namespace   = "AWS/Lambda"
        metric      = "Errors"
        statistic   = "Sum"
        dimensions  = { FunctionName = function_name }
        threshold   = var.thresholds.lambda_errors_per_5min
        periods     = 1
      }
      "${app}-throttles" = {
        description = "${function_name} invocations throttled (concurrency limit reached)."
        namespace   = "AWS/Lambda"
        metric      = "Throttles"
        statistic   = "Sum"
        dimensions  = { FunctionName = function_name }
        threshold   = 0
        periods     = 1
      }
    }
  ]...)

  table_alarms = merge([
    for base, table_name in var.table_names : {
      for kind in ["Read", "Write"] : "${base}-${lower(kind)}-throttles" => {
        description = "${table_name}: ${lower(kind)} requests throttled (on-demand burst above twice the previous peak, or a hot key)."
        namespace   = "AWS/DynamoDB"
        metric      = "${kind}ThrottleEvents"
        statistic   = "Sum"
        dimensions  = { TableName = table_name }
        threshold   = 0
        periods     = 1
      }
    }
  ]...)

  redis_alarms = merge([
    for node in var.redis_node_ids : {
      "${node}-engine-cpu" = {
        description = "Redis node ${node}: engine thread busy (Redis is single-threaded: pushes and presence slow down)."
        namespace   = "AWS/ElastiCache"
        metric      = "EngineCPUUtilization"
        statistic   = "Maximum"
        dimensions  = { CacheClusterId = node }
        threshold   = var.thresholds.redis_percent
        periods     = 3
      }
      "${node}-memory" = {
        description = "Redis node ${node}: memory nearly full (evictions lose presence and rate-limit state)."
        namespace   = "AWS/ElastiCache"
        metric      = "DatabaseMemoryUsagePercentage"
        statistic   = "Maximum"
        dimensions  = { CacheClusterId = node }
        threshold   = var.thresholds.redis_percent
        periods     = 3
      }
    }
  ]...)
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = merge(local.alarms, local.function_alarms, local.table_alarms, local.redis_alarms)

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  dimensions          = each.value.dimensions
  period              = 300
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = try(each.value.comparison, "GreaterThanThreshold")
  treat_missing_data  = try(each.value.missing, "notBreaching")
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# Concurrent WebSockets. ActiveConnectionCount counts both sides of the proxy (client -> ALB and
# ALB -> target) and is a per-minute sum, so: one-minute periods, halved.
resource "aws_cloudwatch_metric_alarm" "edge_connections" {
  alarm_name          = "${var.name_prefix}-edge-connections"
  alarm_description   = "Concurrent edge connections near planned capacity: raise max_tasks or the per-task target."
  evaluation_periods  = 5
  threshold           = var.thresholds.edge_connections
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "connections"
    expression  = "both_sides / 2"
    label       = "Concurrent client connections"
    return_data = true
  }

  metric_query {
    id = "both_sides"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "ActiveConnectionCount"
      stat        = "Sum"
      period      = 60
      dimensions  = { LoadBalancer = var.edge.alb_arn_suffix }
    }
  }
}
