# The public keys every app verifies RS256 tokens with, kept in SSM Parameter Store: the private
# subnets have no route to the internet, so no app can fetch a JWKS URL. The value is a JWKS
# ({"keys": [...]}, every key with a distinct "kid") or one PEM public key. Rotation: publish the
# new key next to the old one (two keys, two kids), wait until every token signed with the old
# key has expired, then remove it. Public keys are not secret: a String parameter, no KMS.

resource "aws_ssm_parameter" "public_keys" {
  name           = "/${var.name_prefix}/jwt/public-keys"
  description    = "Public keys (JWKS or PEM) that verify ${var.name_prefix} tokens; issuer ${var.issuer}"
  type           = "String"
  tier           = "Standard"
  insecure_value = var.public_keys
}
