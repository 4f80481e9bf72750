# `scripts/example.sh live-iso` writes the local test stack's values into
# stack.auto.tfvars.json; against your own Ironic, set them in a *.tfvars file.

variable "ironic_url" {
  description = "Root URL of the Ironic API, e.g. http://127.0.0.1:6385."
  type        = string
}

variable "namespace" {
  description = "Namespace of the host; its Ironic node is named <namespace>~<name>."
  type        = string
  default     = "live-iso"
}

variable "host_name" {
  description = "Name of the host."
  type        = string
  default     = "live-0"
}

variable "bmc_address" {
  description = "BMC address of the host. fake:// uses Ironic's fake-hardware driver (no real machine)."
  type        = string
  default     = "fake://live-0"
}

variable "bmc_username" {
  description = "BMC user name."
  type        = string
  default     = "admin"
}

variable "bmc_password" {
  description = "BMC password."
  type        = string
  sensitive   = true
  default     = "fake-password"
}

variable "boot_mac_address" {
  description = "MAC address of the NIC the host boots the ISO from."
  type        = string
  default     = "02:6d:33:03:00:00"
}

variable "live_iso_url" {
  description = "URL of the bootable ISO."
  type        = string
}
