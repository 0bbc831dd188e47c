# Nothing but the public listener admits the internet; flows are declared pairwise; flow logs
# record every flow. Mocked AWS provider.

mock_provider "aws" {
  source = "../../tests/mocks"
}

override_data {
  target = data.aws_availability_zones.available
  values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

variables {
  name_prefix = "relay-test"
  az_count    = 3
  flow_logs   = { kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000", retention_days = 14 }
}

run "cloudfront_only" {
  command = apply

  assert {
    condition = alltrue(concat(
      [for r in aws_vpc_security_group_ingress_rule.flow : r.cidr_ipv4 == null && r.cidr_ipv6 == null],
      [for r in aws_vpc_security_group_ingress_rule.alb_https : r.cidr_ipv4 == null && r.cidr_ipv6 == null && r.prefix_list_id != null],
    ))
    error_message = "With the front door, no ingress rule may admit an address range: the ALB admits CloudFront's prefix list only."
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_egress_rule.flow : r.cidr_ipv4 == null && r.cidr_ipv6 == null])
    error_message = "Egress goes only to other groups of the VPC (no internet: there is no NAT)."
  }

  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_flow_log.this.log_destination == aws_cloudwatch_log_group.flow_logs.arn
    error_message = "VPC flow logs must record every flow into the encrypted log group."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.kms_key_id == var.flow_logs.kms_key_arn
    error_message = "Flow logs are encrypted with the environment's key."
  }

  assert {
    condition     = contains(keys(aws_vpc_endpoint.interface), "ssm")
    error_message = "ECS injects the token keys from Parameter Store: the ssm endpoint must exist (no NAT)."
  }
}

run "open_listener" {
  command = apply

  variables {
    alb_ingress_cloudfront_only = false
  }

  assert {
    condition = alltrue([
      for r in aws_vpc_security_group_ingress_rule.alb_https :
      r.security_group_id == aws_security_group.this["alb"].id && r.from_port == 443 && r.to_port == 443
    ])
    error_message = "0.0.0.0/0 may reach the public HTTPS listener and nothing else."
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.flow : r.cidr_ipv4 == null && r.cidr_ipv6 == null])
    error_message = "No component but the ALB listener may admit an address range."
  }
}
