terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # State lives in an encrypted S3 bucket; the bucket, key and region are given at init:
  #   terraform init -backend-config=backend.hcl   (see README "Deploy")
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "relay"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
