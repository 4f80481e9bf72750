# `scripts/example.sh inventory-data-source` writes the local test stack's values into
# stack.auto.tfvars.json; against your own Ironic, set them in a *.tfvars file.

variable "ironic_url" {
  description = "Root URL of the Ironic API, e.g. http://127.0.0.1:6385."
  type        = string
}

variable "namespace" {
  description = "Only hosts in this namespace (null: every namespace). Defaults to the quickstart's hosts."
  type        = string
  default     = "quickstart"
}

variable "provisioning_state" {
  description = "Only hosts in this BareMetalHost provisioning state, e.g. available (null: any)."
  type        = string
  default     = "available"
}

variable "min_ram_mebibytes" {
  description = "Only hosts with at least this much memory, in MiB (null: no minimum)."
  type        = number
  default     = null
}
