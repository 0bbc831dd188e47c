output "log_groups" {
  description = "Log group name and ARN per app: ingest, sync, fanout, edge, api, kafka_admin."
  value       = { for key, group in aws_cloudwatch_log_group.this : key => { name = group.name, arn = group.arn } }
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = aws_sns_topic.alarms.arn
}
