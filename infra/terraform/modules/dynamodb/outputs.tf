output "table_names" {
  description = "Physical table name per base name."
  value       = { for base, table in aws_dynamodb_table.this : base => table.name }
}

output "table_arns" {
  description = "Table ARN per base name."
  value       = { for base, table in aws_dynamodb_table.this : base => table.arn }
}

output "index_arns" {
  description = "ARNs of each table's global secondary indexes, per base name."
  value = {
    for base, table in aws_dynamodb_table.this : base => [
      for index in var.tables[base].global_secondary_indexes : "${table.arn}/index/${index.name}"
    ]
  }
}
