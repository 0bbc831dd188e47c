# websocket-edge on ECS Fargate. A deployment or scale-in replaces at most
# floor(tasks * deployment_maximum_percent / 100) - tasks nodes at a time (at least one at the
# minimum fleet); each replaced node drains its
# clients over the drain window with randomized reconnect delays (README "Rolling the edge").

module "task" {
  source             = "../ecs_task"
  name_prefix        = var.name_prefix
  name               = "edge"
  container_name     = "websocket-edge"
  image_tag          = var.image_tag
  size               = var.task
  kms_key_arn        = var.kms_key_arn
  log_group          = var.log_group
  container_insights = true # RunningTaskCount is the denominator of connections per task.

  parameters = { MP_JWT_VERIFY_PUBLICKEY = var.jwt.parameter_arn }
  task_policy = {
    name = "edge-least-privilege"
    json = data.aws_iam_policy_document.task.json
  }

  container = {
    portMappings = [{ containerPort = var.edge_port, protocol = "tcp" }]
    # Fargate caps stopTimeout at 120 s; the node must finish draining before SIGKILL.
    stopTimeout = min(120, var.drain_window_seconds + 15)
    environment = [
      for name, value in {
        RELAY_DYNAMODB_TABLE_PREFIX = var.table_prefix
        RELAY_JWT_ISSUER            = var.jwt.issuer
        # A new fingerprint is a new revision: a key change rolls the service (keys are
        # injected at task start).
        RELAY_JWT_KEYS_SHA256       = var.jwt.fingerprint
        REDIS_URL                   = var.redis.url
        RELAY_REDIS_USER            = var.redis.user_id
        RELAY_REDIS_IAM_CACHE_NAME  = var.redis.replication_group_id
        QUARKUS_HTTP_SSL_PORT       = tostring(var.edge_port)
        RELAY_EDGE_DRAIN_WINDOW     = "${var.drain_window_seconds}s"
        RELAY_EDGE_DRAIN_TIMEOUT    = "${var.drain_window_seconds + 10}s"
        RELAY_EDGE_TARGET_GROUP_ARN = aws_lb_target_group.edge.arn
      } : { name = name, value = value }
    ]
  }
}

resource "aws_ecs_service" "edge" {
  name            = "websocket-edge"
  cluster         = module.task.cluster_arn
  task_definition = module.task.task_definition_arn
  desired_count   = var.autoscaling.min_tasks
  launch_type     = "FARGATE"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = var.autoscaling.deployment_maximum_percent
  health_check_grace_period_seconds  = 30

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.edge.arn
    container_name   = "websocket-edge"
    container_port   = var.edge_port
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.security_group_ids["edge"]]
    assign_public_ip = false
  }

  # Autoscaling owns the task count after creation.
  lifecycle {
    ignore_changes = [desired_count]

    # ECS rounds the maximum down: 2 tasks x 125 % = 2.5 -> 2 leaves no room for a replacement
    # and a rollout at the minimum fleet never progresses.
    precondition {
      condition     = floor(var.autoscaling.min_tasks * var.autoscaling.deployment_maximum_percent / 100) >= var.autoscaling.min_tasks + 1
      error_message = "deployment_maximum_percent leaves no room for one extra task at min_tasks: need at least ceil(100 * (min_tasks + 1) / min_tasks) (150 for 2 tasks, 134 for 3)."
    }
  }

  depends_on = [aws_lb_listener_rule.stream]
}

resource "aws_appautoscaling_target" "edge" {
  service_namespace  = "ecs"
  resource_id        = "service/${module.task.cluster_name}/${aws_ecs_service.edge.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.autoscaling.min_tasks
  max_capacity       = var.autoscaling.max_tasks
}

# Concurrent client connections per task = the ALB's ActiveConnectionCount (a per-minute sum that
# counts both the client and the target side of every proxied WebSocket) / 2 / running tasks.
resource "aws_appautoscaling_policy" "connections_per_task" {
  name               = "${var.name_prefix}-edge-connections-per-task"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.edge.service_namespace
  resource_id        = aws_appautoscaling_target.edge.resource_id
  scalable_dimension = aws_appautoscaling_target.edge.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.target_connections_per_task
    scale_out_cooldown = 60
    # Scaling in drains a node; a long cooldown keeps reconnect waves apart.
    scale_in_cooldown = 600

    customized_metric_specification {
      metrics {
        id          = "connections"
        label       = "ALB active connections"
        return_data = false
        metric_stat {
          stat = "Sum"
          metric {
            namespace   = "AWS/ApplicationELB"
            metric_name = "ActiveConnectionCount"
            dimensions {
              name  = "LoadBalancer"
              value = aws_lb.this.arn_suffix
            }
          }
        }
      }
      metrics {
        id          = "tasks"
        label       = "Running edge tasks"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"
            dimensions {
              name  = "ClusterName"
              value = module.task.cluster_name
            }
            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.edge.name
            }
          }
        }
      }
      metrics {
        id          = "per_task"
        label       = "Connections per edge task"
        expression  = "connections / 2 / tasks"
        return_data = true
      }
    }
  }
}
