terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
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

# CloudFront's web ACL (WAF) must be created in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = {
      Project     = "relay"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
