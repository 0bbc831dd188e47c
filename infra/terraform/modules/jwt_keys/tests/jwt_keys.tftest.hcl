# The token public keys live in SSM Parameter Store; a JWKS must name every key (kid) so two
# keys can be valid during a rotation.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  name_prefix = "relay-test"
  issuer      = "https://auth.example.com/"
}

run "rotation_with_two_keys" {
  command = apply

  variables {
    public_keys = file("../../tests/fixtures/jwks.json")
  }

  assert {
    condition     = aws_ssm_parameter.public_keys.insecure_value == var.public_keys && aws_ssm_parameter.public_keys.type == "String"
    error_message = "The keys are stored as they are given (public keys: a String parameter)."
  }

  assert {
    condition     = length(jsondecode(output.public_keys).keys) == 2
    error_message = "Two keys (old and new) are valid at once during a rotation."
  }

  assert {
    condition     = output.fingerprint == sha256(var.public_keys)
    error_message = "The fingerprint changes with the keys (it rolls the ECS services)."
  }
}

run "one_pem_key" {
  command = apply

  variables {
    public_keys = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n"
  }
}

run "duplicate_kids" {
  command = plan

  variables {
    public_keys = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\"},{\"kty\":\"RSA\",\"kid\":\"a\"}]}"
  }

  expect_failures = [var.public_keys]
}

run "key_without_kid" {
  command = plan

  variables {
    public_keys = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"x\",\"e\":\"AQAB\"}]}"
  }

  expect_failures = [var.public_keys]
}

run "a_url_is_not_a_key" {
  command = plan

  variables {
    public_keys = "https://auth.example.com/.well-known/jwks.json"
  }

  expect_failures = [var.public_keys]
}
