variable "tables" {
  description = "Table specs keyed by base name, as exported by the names module (contract NamesManifest)."
  type = map(object({
    name      = string
    hash_key  = object({ name = string, type = string })
    range_key = object({ name = string, type = string })
    global_secondary_indexes = list(object({
      name      = string
      hash_key  = object({ name = string, type = string })
      range_key = object({ name = string, type = string })
    }))
    ttl_attribute = string
  }))
}

variable "table_prefix" {
  description = "Prefix in front of every base table name (the apps read the same value as relay.dynamodb.table-prefix)."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for server-side encryption."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse table deletion (on in prod)."
  type        = bool
}
