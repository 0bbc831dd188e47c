output "cluster_arn" {
  description = "ARN of the MSK Serverless cluster."
  value       = aws_msk_serverless_cluster.this.arn
}

output "cluster_name" {
  description = "Name of the MSK Serverless cluster (the 'Cluster Name' metric dimension)."
  value       = aws_msk_serverless_cluster.this.cluster_name
}

output "bootstrap_brokers" {
  description = "SASL/IAM over TLS bootstrap string (port 9098)."
  value       = data.aws_msk_bootstrap_brokers.this.bootstrap_brokers_sasl_iam
}

output "topic_arns" {
  description = "Topic ARN per role (messages, messages_dlq, signals), for IAM policies."
  value       = local.topic_arns
}

output "group_arn_prefix" {
  description = "Prefix of consumer group ARNs; append /<group id>."
  value       = local.group_arn_prefix
}

output "bootstrap_task" {
  description = "What scripts/create-topics.sh needs to run the topic bootstrap task."
  value = {
    cluster_arn         = module.admin.cluster_arn
    task_definition_arn = module.admin.task_definition_arn
    repository_url      = module.admin.repository_url
    subnet_ids          = var.subnet_ids
    security_group_id   = var.admin_security_group_id
  }
}
