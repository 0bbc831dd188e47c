# The dev environment: Relay (modules/relay) at dev sizes; deployment inputs in variables.tf.

module "relay" {
  source      = "../../modules/relay"
  environment = var.environment

  az_count            = 2
  deletion_protection = false
  redis_node_type     = "cache.t4g.small"
  redis_node_count    = 2
  fanout              = { cpu = 512, memory = 1024, desired_count = 1 }
  log_retention_days  = 14

  edge_autoscaling = {
    min_tasks                   = 2
    max_tasks                   = 4
    target_connections_per_task = 20000
    # At least one extra task at min_tasks: floor(2 x 150 %) = 3.
    deployment_maximum_percent = 150
  }

  public_host                = var.public_host
  cloudfront_certificate_arn = var.cloudfront_certificate_arn
  edge_origin_host           = var.edge_origin_host
  edge_certificate_arn       = var.edge_certificate_arn
  api_origin_host            = var.api_origin_host
  api_certificate_arn        = var.api_certificate_arn
  origin_verify_secrets      = var.origin_verify_secrets
  jwt                        = var.jwt
  ingest_zip                 = var.ingest_zip
  sync_zip                   = var.sync_zip
  edge_image_tag             = var.edge_image_tag
  fanout_image_tag           = var.fanout_image_tag
  kafka_admin_image_tag      = var.kafka_admin_image_tag
  alarm_email                = var.alarm_email

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }
}
