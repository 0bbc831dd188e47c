# Environment-wide policy of modules/relay: prod never runs without deletion protection.

mock_provider "aws" {
  source = "../../tests/mocks"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "../../tests/mocks"
}

override_data {
  target = module.network.data.aws_availability_zones.available
  values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

variables {
  environment                = "prod"
  az_count                   = 3
  deletion_protection        = false
  public_host                = "chat.example.com"
  cloudfront_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000001"
  edge_origin_host           = "edge-origin.chat.example.com"
  edge_certificate_arn       = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000002"
  api_origin_host            = "api-origin.chat.example.com"
  origin_verify_secrets      = ["0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"]
  jwt                        = { issuer = "https://auth.example.com/", public_keys = file("../../tests/fixtures/jwks.json") }
  ingest_zip                 = "../../tests/fixtures/function.zip"
  sync_zip                   = "../../tests/fixtures/function.zip"
  edge_image_tag             = "test"
  fanout_image_tag           = "test"
  redis_node_type            = "cache.r7g.large"
  redis_node_count           = 3
  fanout                     = { cpu = 1024, memory = 2048, desired_count = 3 }
  log_retention_days         = 90
  edge_autoscaling           = { min_tasks = 3, max_tasks = 40, target_connections_per_task = 20000, deployment_maximum_percent = 134 }
}

run "prod_without_deletion_protection" {
  command         = plan
  expect_failures = [var.deletion_protection]
}
