# Amazon MSK Serverless: IAM authentication over TLS (port 9098) is the only way in, data is
# encrypted at rest by the service. Topics cannot be declared with the AWS provider; they are
# created by the one-shot bootstrap task below (see README "Kafka topics").

resource "aws_msk_serverless_cluster" "this" {
  cluster_name = var.name_prefix

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [var.cluster_security_group_id]
  }
}

data "aws_msk_bootstrap_brokers" "this" {
  cluster_arn = aws_msk_serverless_cluster.this.arn
}

locals {
  # MSK authorizes topics and groups by ARNs derived from the cluster ARN
  # (arn:...:cluster/<name>/<uuid> -> arn:...:topic/<name>/<uuid>/<topic>).
  topic_arn_prefix = replace(aws_msk_serverless_cluster.this.arn, ":cluster/", ":topic/")
  group_arn_prefix = replace(aws_msk_serverless_cluster.this.arn, ":cluster/", ":group/")

  topic_arns = { for role, topic in var.topics : role => "${local.topic_arn_prefix}/${topic}" }

  # "name:partitions:retention.ms" per topic, read by the bootstrap image's entrypoint.
  topic_specs = join(",", [
    for role, topic in var.topics : "${topic}:${var.topic_settings[role].partitions}:${var.topic_settings[role].retention_ms}"
  ])
}
