variable "name_prefix" {
  description = "Prefix of every resource name, e.g. relay-prod."
  type        = string
}

variable "issuer" {
  description = "Token issuer (iss) the keys belong to."
  type        = string
}

variable "public_keys" {
  description = "JWKS JSON ({\"keys\": [...]}, each key with a distinct kid; two keys during a rotation) or one PEM public key."
  type        = string

  validation {
    condition = (
      startswith(trimspace(var.public_keys), "-----BEGIN PUBLIC KEY-----")
      || (
        can(jsondecode(var.public_keys).keys[0])
        && alltrue([for key in try(jsondecode(var.public_keys).keys, []) : can(key.kid) && can(key.kty)])
        && length(distinct([for key in try(jsondecode(var.public_keys).keys, []) : try(key.kid, "")])) == length(try(jsondecode(var.public_keys).keys, []))
      )
    )
    error_message = "public_keys must be a PEM public key or a JWKS with at least one key, every key with kty and a distinct kid."
  }

  validation {
    condition     = length(var.public_keys) <= 3000
    error_message = "public_keys must stay under 3000 characters: Lambda passes it in its environment (4 KB for all variables)."
  }
}
