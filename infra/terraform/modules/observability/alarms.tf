# Alarms on what breaks the promises of DESIGN.md: consumer lag (pushes late), DLQ growth
# (pushes given up on), 5xx (sends or syncs failing) and edge connection count (capacity).

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
    }
    fanout-time-lag = {
      description = "Oldest unconsumed message on the messages topic is older than the threshold (seconds)."
      namespace   = "AWS/Kafka"
      metric      = "EstimatedMaxTimeLag"
      statistic   = "Maximum"
      dimensions  = local.fanout_lag_dimensions
      threshold   = var.thresholds.consumer_lag_seconds
      periods     = 3
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
    edge-connections = {
      description = "Concurrent edge connections near planned capacity: raise max_tasks or the per-task target."
      namespace   = "AWS/ApplicationELB"
      metric      = "ActiveConnectionCount"
      statistic   = "Sum"
      dimensions  = { LoadBalancer = var.edge.alb_arn_suffix }
      threshold   = var.thresholds.edge_connections
      periods     = 3
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
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  dimensions          = each.value.dimensions
  period              = 300
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
