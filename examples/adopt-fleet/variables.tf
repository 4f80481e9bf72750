# `scripts/example.sh adopt-fleet` writes the local test stack's values into
# stack.auto.tfvars.json; against your own Ironic, set them in a *.tfvars file.

variable "ironic_url" {
  description = "Root URL of the Ironic API, e.g. http://127.0.0.1:6385."
  type        = string
}

variable "namespace" {
  description = "Namespace of the hosts to adopt; their Ironic nodes are named <namespace>~<name>."
  type        = string
  default     = "fleet"
}

variable "bmc_username" {
  description = "BMC user name of the adopted hosts (Ironic returns it for most drivers; fake-hardware nodes have none)."
  type        = string
  default     = "admin"
}

variable "bmc_password" {
  description = "BMC password of the adopted hosts: Ironic never returns passwords."
  type        = string
  sensitive   = true
  default     = "fake-password"
}
