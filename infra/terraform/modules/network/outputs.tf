output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "Public subnets, one per zone; only the edge ALB lives here."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets, one per zone, with no route to the internet."
  value       = aws_subnet.private[*].id
}

output "security_group_ids" {
  description = "Security group ID per component: alb, edge, fanout, ingest, sync, kafka_admin, msk, redis, endpoints."
  value       = { for key, group in aws_security_group.this : key => group.id }
}
