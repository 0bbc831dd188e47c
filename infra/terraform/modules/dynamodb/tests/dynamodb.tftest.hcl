# Every contract table: point-in-time recovery, the environment's KMS key, deletion protection
# as asked. Mocked AWS provider; the tables come from the names module (the contract).

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  table_prefix = "test-"
  kms_key_arn  = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
}

run "names" {
  command = apply
  module {
    source = "../names"
  }
}

run "protected" {
  command = apply

  variables {
    tables              = run.names.tables
    deletion_protection = true
  }

  assert {
    condition     = length(aws_dynamodb_table.this) == length(run.names.tables) && length(aws_dynamodb_table.this) > 0
    error_message = "Every contract table must exist."
  }

  assert {
    condition     = alltrue([for t in aws_dynamodb_table.this : one(t.point_in_time_recovery).enabled])
    error_message = "Every table needs point-in-time recovery."
  }

  assert {
    condition     = alltrue([for t in aws_dynamodb_table.this : one(t.server_side_encryption).enabled && one(t.server_side_encryption).kms_key_arn == var.kms_key_arn])
    error_message = "Every table must be encrypted with the environment's customer managed key."
  }

  assert {
    condition     = alltrue([for t in aws_dynamodb_table.this : t.deletion_protection_enabled])
    error_message = "deletion_protection = true must protect every table."
  }

  assert {
    condition     = alltrue([for t in aws_dynamodb_table.this : t.billing_mode == "PAY_PER_REQUEST"])
    error_message = "Tables are on-demand."
  }
}

run "unprotected" {
  command = apply

  variables {
    tables              = run.names.tables
    deletion_protection = false
  }

  assert {
    condition     = alltrue([for t in aws_dynamodb_table.this : !t.deletion_protection_enabled])
    error_message = "deletion_protection = false must leave tables deletable (dev)."
  }
}
