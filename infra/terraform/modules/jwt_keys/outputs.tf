output "parameter_arn" {
  description = "ARN of the parameter (ECS injects it as MP_JWT_VERIFY_PUBLICKEY)."
  value       = aws_ssm_parameter.public_keys.arn
}

output "parameter_name" {
  description = "Name of the parameter."
  value       = aws_ssm_parameter.public_keys.name
}

output "public_keys" {
  description = "The stored value, for Lambda environments (Lambda cannot inject parameters)."
  value       = aws_ssm_parameter.public_keys.insecure_value
}

output "fingerprint" {
  description = "SHA-256 of the keys; in every task definition, so a key change rolls the ECS services."
  value       = sha256(aws_ssm_parameter.public_keys.insecure_value)
}
