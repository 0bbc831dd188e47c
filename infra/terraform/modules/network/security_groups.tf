# One security group per component. Every permitted flow is listed once in local.flows and
# becomes the egress rule of its source and the ingress rule of its destination; nothing else
# is open. All flows carry TLS: 443 (HTTPS, AWS APIs), the edge port (HTTPS from the
# ALB), 9098 (MSK IAM over TLS), 6379 (Redis TLS).

locals {
  groups = {
    alb         = "Edge ALB: HTTPS from clients or the front door, to edge tasks"
    edge        = "websocket-edge tasks"
    fanout      = "fanout-fn tasks"
    ingest      = "ingest-fn Lambda"
    sync        = "sync-fn Lambda"
    kafka_admin = "One-shot topic bootstrap task"
    msk         = "MSK Serverless cluster"
    redis       = "ElastiCache replication group"
    endpoints   = "Interface VPC endpoints"
  }

  flows = [
    { from = "alb", to = "edge", port = var.edge_port },
    { from = "edge", to = "redis", port = 6379 },
    { from = "fanout", to = "redis", port = 6379 },
    { from = "ingest", to = "redis", port = 6379 },
    { from = "fanout", to = "msk", port = 9098 },
    { from = "ingest", to = "msk", port = 9098 },
    { from = "sync", to = "msk", port = 9098 },
    { from = "kafka_admin", to = "msk", port = 9098 },
    { from = "edge", to = "endpoints", port = 443 },
    { from = "fanout", to = "endpoints", port = 443 },
    { from = "kafka_admin", to = "endpoints", port = 443 },
  ]

  # Gateway endpoints are reached through their prefix lists: DynamoDB by every app that reads
  # or writes tables, S3 by the ECS tasks whose image layers ECR serves from S3.
  gateway_flows = [
    { from = "edge", service = "dynamodb" },
    { from = "fanout", service = "dynamodb" },
    { from = "ingest", service = "dynamodb" },
    { from = "sync", service = "dynamodb" },
    { from = "edge", service = "s3" },
    { from = "fanout", service = "s3" },
    { from = "kafka_admin", service = "s3" },
  ]

  alb_ingress = var.alb_ingress_cloudfront_only ? {
    cloudfront = { prefix_list_id = data.aws_ec2_managed_prefix_list.cloudfront[0].id, cidr_ipv4 = null }
  } : { anywhere = { prefix_list_id = null, cidr_ipv4 = "0.0.0.0/0" } }
}

data "aws_ec2_managed_prefix_list" "cloudfront" {
  count = var.alb_ingress_cloudfront_only ? 1 : 0
  name  = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_security_group" "this" {
  for_each    = local.groups
  name        = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  description = each.value
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-${replace(each.key, "_", "-")}" }
}

resource "aws_vpc_security_group_egress_rule" "flow" {
  for_each                     = { for f in local.flows : "${f.from}-${f.to}-${f.port}" => f }
  security_group_id            = aws_security_group.this[each.value.from].id
  referenced_security_group_id = aws_security_group.this[each.value.to].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = "to ${each.value.to}"
}

resource "aws_vpc_security_group_ingress_rule" "flow" {
  for_each                     = { for f in local.flows : "${f.from}-${f.to}-${f.port}" => f }
  security_group_id            = aws_security_group.this[each.value.to].id
  referenced_security_group_id = aws_security_group.this[each.value.from].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = "from ${each.value.from}"
}

resource "aws_vpc_security_group_egress_rule" "gateway" {
  for_each          = { for f in local.gateway_flows : "${f.from}-${f.service}" => f }
  security_group_id = aws_security_group.this[each.value.from].id
  prefix_list_id    = aws_vpc_endpoint.gateway[each.value.service].prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "to ${each.value.service} gateway endpoint"
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each          = local.alb_ingress
  security_group_id = aws_security_group.this["alb"].id
  prefix_list_id    = each.value.prefix_list_id
  cidr_ipv4         = each.value.cidr_ipv4
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS and WebSocket upgrades"
}
