variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "name" {
  description = "The app's short name: suffix of every resource name and the log stream prefix (edge, fanout, kafka-admin)."
  type        = string
}

variable "container_name" {
  description = "Name of the one container of the task (load balancer target, ECS console)."
  type        = string
}

variable "container" {
  description = "Further fields of the container definition (environment, portMappings, stopTimeout...); name, image, essential, secrets and logConfiguration are set here."
  type        = any
  default     = {}
}

variable "image_tag" {
  description = "Tag of the image pushed to this module's ECR repository."
  type        = string
}

variable "size" {
  description = "Fargate size of one task."
  type        = object({ cpu = number, memory = number })
}

variable "kms_key_arn" {
  description = "Customer managed KMS key (ECR repository)."
  type        = string
}

variable "log_group" {
  description = "Log group (name, arn) of the app; the only one the execution role may write."
  type        = object({ name = string, arn = string })
}

variable "container_insights" {
  description = "Enable Container Insights on the cluster."
  type        = bool
  default     = true
}

variable "parameters" {
  description = "Environment variable name -> SSM parameter ARN, injected by ECS as the container's secrets at task start."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.parameters) : can(regex("^arn:[^:]+:ssm:", arn))])
    error_message = "Every injected value comes from SSM Parameter Store (an arn:...:ssm: ARN)."
  }
}

variable "task_policy" {
  description = "Name and JSON of the task role's one inline policy (the app's least privilege)."
  type        = object({ name = string, json = string })
}
