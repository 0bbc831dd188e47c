output "domain_name" {
  description = "CloudFront domain name; point the aliases at it (CNAME or alias record)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "distribution_id" {
  description = "ID of the distribution."
  value       = aws_cloudfront_distribution.this.id
}
