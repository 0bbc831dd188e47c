# Physical names from the contract (dev.relay.contract.names.NamesManifest), read from the
# generated names.tf.json beside this file. Nothing else in infra/terraform spells a table, key,
# index, TTL attribute, topic, consumer group or Redis prefix.

output "tables" {
  description = "Every DynamoDB table spec keyed by base name: keys with types, GSIs, TTL attribute."
  value       = local.names.tables
}

output "table_roles" {
  description = "Base table name per role (messages, conversations, members, idempotency), for IAM scoping."
  value       = local.table_roles
}

output "topics" {
  description = "Kafka topic names: messages, messages_dlq, signals."
  value       = local.names.topics
}

output "consumer_groups" {
  description = "Kafka consumer group names: fanout_messages, fanout_signals, fanout_dlq_replay."
  value       = local.names.consumer_groups
}

output "redis_key_prefix" {
  description = "Prefix of every Redis key and channel Relay uses."
  value       = local.names.redis_key_prefix
}
