# The whole dev environment evaluated against a mocked AWS provider (no account, no network):
# every expression, for_each, variable validation and precondition with the environment's own
# sizes, among them deployment headroom at the minimum edge fleet.

mock_provider "aws" {
  source = "../../tests/mocks"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "../../tests/mocks"
}

variables {
  region                     = "eu-west-1"
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
}

override_data {
  target = module.relay.module.network.data.aws_availability_zones.available
  values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

run "dev" {
  command = apply

  assert {
    condition     = output.repair_sweep_schedule == "relay-dev-repair-sweep"
    error_message = "The repair sweep schedule must exist."
  }

  assert {
    condition     = output.jwt_public_keys_parameter == "/relay-dev/jwt/public-keys"
    error_message = "The token public keys must be kept in SSM Parameter Store."
  }
}
