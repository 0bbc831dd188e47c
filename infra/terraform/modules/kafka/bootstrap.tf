# The topic bootstrap: an ECS task definition that runs kafka-topics.sh with the MSK IAM login
# module inside the VPC, creating each topic if it is missing and setting its retention. It is
# started by scripts/create-topics.sh after every apply that changes topics; it is idempotent.

data "aws_iam_policy_document" "admin_task" {
  statement {
    sid       = "ConnectToCluster"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_serverless_cluster.this.arn]
  }
  statement {
    sid = "ManageRelayTopicsOnly"
    actions = [
      "kafka-cluster:CreateTopic",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:AlterTopic",
      "kafka-cluster:DescribeTopicDynamicConfiguration",
      "kafka-cluster:AlterTopicDynamicConfiguration",
    ]
    resources = values(local.topic_arns)
  }
}

module "admin" {
  source             = "../ecs_task"
  name_prefix        = var.name_prefix
  name               = "kafka-admin"
  container_name     = "kafka-admin"
  image_tag          = var.admin_image_tag
  size               = { cpu = 512, memory = 1024 }
  kms_key_arn        = var.kms_key_arn
  log_group          = var.admin_log_group
  container_insights = false

  task_policy = {
    name = "manage-topics"
    json = data.aws_iam_policy_document.admin_task.json
  }

  container = {
    environment = [
      { name = "BOOTSTRAP_SERVERS", value = data.aws_msk_bootstrap_brokers.this.bootstrap_brokers_sasl_iam },
      { name = "TOPIC_SPECS", value = local.topic_specs },
    ]
  }
}
