# One HTTP API, routed by path to the function that owns each endpoint of API.md. Development
# token issuing (/v1/dev/tokens) is never routed here.

locals {
  routes = {
    "POST /v1/conversations"                         = "ingest"
    "POST /v1/conversations/{id}/members"            = "ingest"
    "DELETE /v1/conversations/{id}/members/{userId}" = "ingest"
    "POST /v1/conversations/{id}/messages"           = "ingest"
    "GET /v1/conversations"                          = "sync"
    "GET /v1/conversations/{id}/messages"            = "sync"
    "POST /v1/conversations/{id}/read"               = "sync"
    "POST /v1/sync"                                  = "sync"
  }
}

# The default execute-api endpoint is off: the API answers only on its custom domain, which is
# the front door's origin (origin_host, CNAME to api_origin_target).
resource "aws_apigatewayv2_api" "this" {
  name                         = var.name_prefix
  protocol_type                = "HTTP"
  description                  = "Relay ingest and sync"
  disable_execute_api_endpoint = true
}

resource "aws_apigatewayv2_domain_name" "origin" {
  domain_name = var.api_origin.host

  domain_name_configuration {
    certificate_arn = var.api_origin.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "origin" {
  api_id      = aws_apigatewayv2_api.this.id
  domain_name = aws_apigatewayv2_domain_name.origin.id
  stage       = aws_apigatewayv2_stage.default.id
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = aws_lambda_function.this

  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = each.value.invoke_arn
  payload_format_version = "2.0"
  # API Gateway gives up after this (HTTP APIs allow at most 30 s), answering 504; the app's own
  # 503 after its longest wait must come first, and the function must outlive the integration
  # so that a request is never killed mid-transaction (README "Timeouts").
  timeout_milliseconds = var.integration_timeout_seconds * 1000

  lifecycle {
    precondition {
      condition     = var.integration_timeout_seconds >= var.app_longest_wait_seconds + 3 && var.lambda_timeout_seconds >= var.integration_timeout_seconds
      error_message = "Need app_longest_wait_seconds + 3 <= integration_timeout_seconds <= lambda_timeout_seconds."
    }
  }
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.this[each.value].id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = var.api_throttling.burst_limit
    throttling_rate_limit  = var.api_throttling.rate_limit
  }

  # Query strings are not logged: the edge accepts ?access_token= and nothing may log a token.
  access_log_settings {
    destination_arn = var.log_groups["api"].arn
    format = jsonencode({
      requestId      = "$context.requestId"
      routeKey       = "$context.routeKey"
      status         = "$context.status"
      latencyMs      = "$context.responseLatency"
      integrationMs  = "$context.integrationLatency"
      integrationErr = "$context.integrationErrorMessage"
      sourceIp       = "$context.identity.sourceIp"
    })
  }
}

resource "aws_lambda_permission" "api" {
  for_each = aws_lambda_function.this

  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}
