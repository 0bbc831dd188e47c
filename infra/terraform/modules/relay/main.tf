# One Relay environment: every module wired together. Physical names come only from the names
# module (generated from the contract); sizes and switches come from the environment's call
# (envs/dev, envs/prod), deployment inputs from its terraform.tfvars.

locals {
  name_prefix  = "relay-${var.environment}"
  table_prefix = "${var.environment}-"
  repo_root    = "${path.module}/../../../.." # this module is infra/terraform/modules/relay

  origin_verify_header = { name = "x-relay-origin-verify", values = var.origin_verify_secrets }
}

module "names" {
  source = "../names"
}

module "keys" {
  source      = "../keys"
  name_prefix = local.name_prefix
}

module "jwt_keys" {
  source      = "../jwt_keys"
  name_prefix = local.name_prefix
  issuer      = var.jwt.issuer
  public_keys = var.jwt.public_keys
}

module "network" {
  source                      = "../network"
  name_prefix                 = local.name_prefix
  az_count                    = var.az_count
  alb_ingress_cloudfront_only = true
  flow_logs                   = { kms_key_arn = module.keys.key_arn, retention_days = var.log_retention_days }
}

module "observability" {
  source             = "../observability"
  name_prefix        = local.name_prefix
  kms_key_arn        = module.keys.key_arn
  log_retention_days = var.log_retention_days
  alarm_email        = var.alarm_email
  http_api_id        = module.functions.http_api_id
  function_names     = module.functions.function_names
  table_names        = module.dynamodb.table_names
  redis_node_ids     = module.redis.node_ids

  fanout = {
    cluster_name = module.functions.fanout.cluster_name
    service_name = module.functions.fanout.service_name
  }

  kafka = {
    cluster_name    = module.kafka.cluster_name
    topics          = module.names.topics
    fanout_group_id = module.names.consumer_groups.fanout_messages
  }

  edge = {
    alb_arn_suffix          = module.edge.alb_arn_suffix
    target_group_arn_suffix = module.edge.target_group_arn_suffix
  }
}

module "dynamodb" {
  source              = "../dynamodb"
  tables              = module.names.tables
  table_prefix        = local.table_prefix
  kms_key_arn         = module.keys.key_arn
  deletion_protection = var.deletion_protection
}

module "kafka" {
  source                    = "../kafka"
  name_prefix               = local.name_prefix
  topics                    = module.names.topics
  subnet_ids                = module.network.private_subnet_ids
  cluster_security_group_id = module.network.security_group_ids["msk"]
  admin_security_group_id   = module.network.security_group_ids["kafka_admin"]
  kms_key_arn               = module.keys.key_arn
  admin_log_group           = module.observability.log_groups["kafka_admin"]
  admin_image_tag           = var.kafka_admin_image_tag
}

module "redis" {
  source            = "../redis"
  name_prefix       = local.name_prefix
  subnet_ids        = module.network.private_subnet_ids
  security_group_id = module.network.security_group_ids["redis"]
  kms_key_arn       = module.keys.key_arn
  node_type         = var.redis_node_type
  node_count        = var.redis_node_count
  apps              = ["ingest", "fanout", "edge"]
  key_prefix        = module.names.redis_key_prefix
}

module "functions" {
  source             = "../functions"
  name_prefix        = local.name_prefix
  ingest_zip         = coalesce(var.ingest_zip, "${local.repo_root}/ingest-fn/target/function.zip")
  sync_zip           = coalesce(var.sync_zip, "${local.repo_root}/sync-fn/target/function.zip")
  fanout_image_tag   = var.fanout_image_tag
  subnet_ids         = module.network.private_subnet_ids
  security_group_ids = module.network.security_group_ids
  kms_key_arn        = module.keys.key_arn
  table_prefix       = local.table_prefix
  table_roles        = module.names.table_roles
  consumer_groups    = module.names.consumer_groups
  table_arns         = module.dynamodb.table_arns
  index_arns         = module.dynamodb.index_arns
  log_groups         = module.observability.log_groups
  fanout             = var.fanout
  api_origin         = { host = var.api_origin_host, certificate_arn = coalesce(var.api_certificate_arn, var.edge_certificate_arn) }

  jwt = {
    issuer        = var.jwt.issuer
    public_keys   = module.jwt_keys.public_keys
    parameter_arn = module.jwt_keys.parameter_arn
    fingerprint   = module.jwt_keys.fingerprint
  }

  kafka = {
    cluster_arn       = module.kafka.cluster_arn
    bootstrap_brokers = module.kafka.bootstrap_brokers
    topic_arns        = module.kafka.topic_arns
    group_arn_prefix  = module.kafka.group_arn_prefix
  }

  redis = {
    url                   = module.redis.url
    replication_group_id  = module.redis.replication_group_id
    replication_group_arn = module.redis.replication_group_arn
    users                 = { for app in ["ingest", "fanout"] : app => module.redis.users[app] }
  }
}

module "edge" {
  source                       = "../edge"
  name_prefix                  = local.name_prefix
  vpc_id                       = module.network.vpc_id
  public_subnet_ids            = module.network.public_subnet_ids
  private_subnet_ids           = module.network.private_subnet_ids
  security_group_ids           = module.network.security_group_ids
  kms_key_arn                  = module.keys.key_arn
  certificate_arn              = var.edge_certificate_arn
  image_tag                    = var.edge_image_tag
  members_table_arn            = module.dynamodb.table_arns[module.names.table_roles.members]
  members_index_arns           = module.dynamodb.index_arns[module.names.table_roles.members]
  conversations_table_arn      = module.dynamodb.table_arns[module.names.table_roles.conversations]
  table_prefix                 = local.table_prefix
  log_group                    = module.observability.log_groups["edge"]
  origin_verify_header         = local.origin_verify_header
  drain_window_seconds         = var.edge_drain_window_seconds
  deregistration_delay_seconds = var.edge_drain_window_seconds + 30
  autoscaling                  = var.edge_autoscaling
  deletion_protection          = var.deletion_protection

  jwt = {
    issuer        = var.jwt.issuer
    parameter_arn = module.jwt_keys.parameter_arn
    fingerprint   = module.jwt_keys.fingerprint
  }

  redis = {
    url                   = module.redis.url
    replication_group_id  = module.redis.replication_group_id
    replication_group_arn = module.redis.replication_group_arn
    user_id               = module.redis.users["edge"].user_id
    user_arn              = module.redis.users["edge"].arn
  }
}

module "frontdoor" {
  source                  = "../frontdoor"
  name_prefix             = local.name_prefix
  aliases                 = [var.public_host]
  certificate_arn         = var.cloudfront_certificate_arn
  api_origin_domain_name  = module.functions.api_origin.host
  edge_origin_domain_name = var.edge_origin_host
  origin_verify_header    = local.origin_verify_header

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }
}
