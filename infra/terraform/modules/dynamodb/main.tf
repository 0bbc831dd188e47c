# Every table, key, GSI and TTL comes from var.tables, which the names module fills from the
# contract; this file spells no physical name. On-demand billing, point-in-time recovery and
# SSE with the environment's customer managed key on every table.

locals {
  # Key attributes of each table and of its indexes, each declared once with its type.
  attributes = {
    for base, table in var.tables : base => {
      for name, types in {
        for key in concat(
          [table.hash_key, table.range_key],
          flatten([for index in table.global_secondary_indexes : [index.hash_key, index.range_key]]),
        ) : key.name => key.type... if key != null
      } : name => types[0]
    }
  }
}

resource "aws_dynamodb_table" "this" {
  for_each = var.tables

  name                        = "${var.table_prefix}${each.value.name}"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key.name
  range_key                   = try(each.value.range_key.name, null)
  deletion_protection_enabled = var.deletion_protection

  dynamic "attribute" {
    for_each = local.attributes[each.key]
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  # The contract's indexes project every attribute.
  dynamic "global_secondary_index" {
    for_each = each.value.global_secondary_indexes
    content {
      name            = global_secondary_index.value.name
      hash_key        = global_secondary_index.value.hash_key.name
      range_key       = try(global_secondary_index.value.range_key.name, null)
      projection_type = "ALL"
    }
  }

  dynamic "ttl" {
    for_each = each.value.ttl_attribute == null ? [] : [each.value.ttl_attribute]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}
