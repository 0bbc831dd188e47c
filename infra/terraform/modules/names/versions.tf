terraform {
  required_version = ">= 1.10.0, < 2.0.0"
}
