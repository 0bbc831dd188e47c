# Internet-facing ALB: HTTPS only, /v1/stream carrying the front door's secret header forwarded
# to the edge tasks over HTTPS, everything else answered 404. The security group admits only
# CloudFront's origin-facing addresses; the header tells our distribution from any other. The idle timeout is long so that only silent (dead) WebSockets time out.

resource "aws_lb" "this" {
  name                       = "${var.name_prefix}-edge"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [var.security_group_ids["alb"]]
  idle_timeout               = var.idle_timeout_seconds
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
}

resource "aws_lb_target_group" "edge" {
  name                 = "${var.name_prefix}-edge"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTPS"
  port                 = var.edge_port
  deregistration_delay = var.deregistration_delay_seconds

  health_check {
    protocol            = "HTTPS"
    path                = "/q/health/ready"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  lifecycle {
    precondition {
      condition     = var.deregistration_delay_seconds >= var.drain_window_seconds + 10
      error_message = "deregistration_delay_seconds must exceed drain_window_seconds by at least 10 s, or the ALB cuts connections the node is still draining."
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      status_code  = "404"
      message_body = "{\"title\":\"Not Found\",\"status\":404}"
    }
  }
}

resource "aws_lb_listener_rule" "stream" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  condition {
    path_pattern {
      values = ["/v1/stream"]
    }
  }

  # Only the front door knows this header: a request straight to the ALB, or through another
  # CloudFront distribution, falls through to the default 404.
  condition {
    http_header {
      http_header_name = var.origin_verify_header.name
      values           = var.origin_verify_header.values
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.edge.arn
  }
}
