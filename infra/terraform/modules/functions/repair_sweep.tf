# ingest-fn's repair sweep (republish committed messages whose publish was never confirmed).
# A Lambda is frozen between invocations, so a Quarkus @Scheduled inside it never fires; an
# EventBridge Scheduler schedule invokes the function instead. The input is a synthetic HTTP API
# (payload 2.0) event for POST <repair_sweep.path>, so quarkus-amazon-lambda-http routes it to
# an ordinary endpoint. That path is not a route of the HTTP API: only this schedule (IAM:
# lambda:InvokeFunction) reaches it. A missed tick is not retried: the next one sweeps again.

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "repair_sweep" {
  name               = "${var.name_prefix}-repair-sweep"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

data "aws_iam_policy_document" "repair_sweep" {
  statement {
    sid       = "InvokeIngest"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.this["ingest"].arn]
  }
}

resource "aws_iam_role_policy" "repair_sweep" {
  name   = "invoke-ingest"
  role   = aws_iam_role.repair_sweep.id
  policy = data.aws_iam_policy_document.repair_sweep.json
}

resource "aws_scheduler_schedule" "repair_sweep" {
  name                = "${var.name_prefix}-repair-sweep"
  description         = "Invokes ingest-fn's repair sweep (POST ${var.repair_sweep.path})"
  schedule_expression = var.repair_sweep.schedule
  state               = "ENABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.this["ingest"].arn
    role_arn = aws_iam_role.repair_sweep.arn

    input = jsonencode({
      version        = "2.0"
      routeKey       = "POST ${var.repair_sweep.path}"
      rawPath        = var.repair_sweep.path
      rawQueryString = ""
      headers        = { "content-type" = "application/json", "x-relay-trigger" = "repair-sweep" }
      requestContext = {
        accountId  = data.aws_caller_identity.current.account_id
        apiId      = "repair-sweep"
        domainName = "repair-sweep.internal"
        requestId  = "repair-sweep"
        routeKey   = "POST ${var.repair_sweep.path}"
        stage      = "$default"
        http       = { method = "POST", path = var.repair_sweep.path, protocol = "HTTP/1.1", sourceIp = "127.0.0.1", userAgent = "eventbridge-scheduler" }
      }
      body            = "{}"
      isBase64Encoded = false
    })

    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }

  depends_on = [aws_iam_role_policy.repair_sweep]

  lifecycle {
    precondition {
      condition     = !contains([for route in keys(local.routes) : split(" ", route)[1]], var.repair_sweep.path)
      error_message = "The repair sweep path must not be a public route of the HTTP API."
    }
  }
}
