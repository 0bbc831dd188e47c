# The front door's web ACL. CloudFront web ACLs live in us-east-1 (provider aws.us_east_1).
# AWS managed rules for known-bad inputs and bad-reputation addresses, and a per-IP rate limit;
# the broader common rule set is left out, since its body and header rules would need tuning
# against real Relay traffic first. Every rule emits metrics.

resource "aws_wafv2_web_acl" "this" {
  provider    = aws.us_east_1
  name        = var.name_prefix
  description = "Relay front door"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  dynamic "rule" {
    for_each = { AWSManagedRulesAmazonIpReputationList = 10, AWSManagedRulesKnownBadInputsRuleSet = 20 }
    content {
      name     = rule.key
      priority = rule.value

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.key
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.key
        sampled_requests_enabled   = true
      }
    }
  }

  rule {
    name     = "RatePerClientIp"
    priority = 30

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit_per_5min
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "RatePerClientIp"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name_prefix
    sampled_requests_enabled   = true
  }
}
