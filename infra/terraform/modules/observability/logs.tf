# Every app logs to a group created here, with retention and the environment's KMS key; the apps
# never create log groups themselves.

locals {
  log_groups = {
    ingest      = "/${var.name_prefix}/ingest-fn"
    sync        = "/${var.name_prefix}/sync-fn"
    fanout      = "/${var.name_prefix}/fanout-fn"
    edge        = "/${var.name_prefix}/websocket-edge"
    api         = "/${var.name_prefix}/http-api"
    kafka_admin = "/${var.name_prefix}/kafka-admin"
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each          = local.log_groups
  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}
