# `scripts/example.sh provision-image` writes the local test stack's values into
# stack.auto.tfvars.json; against your own Ironic, set them in a *.tfvars file.

variable "ironic_url" {
  description = "Root URL of the Ironic API, e.g. http://127.0.0.1:6385."
  type        = string
}

variable "deploy_kernel_url" {
  description = "URL of the Ironic Python Agent kernel."
  type        = string
}

variable "deploy_ramdisk_url" {
  description = "URL of the Ironic Python Agent initramfs."
  type        = string
}

variable "namespace" {
  description = "Namespace of the host; its Ironic node is named <namespace>~<name>."
  type        = string
  default     = "provision-image"
}

variable "host_name" {
  description = "Name of the host."
  type        = string
  default     = "server-0"
}

variable "bmc_address" {
  description = "BMC address of the host. fake:// uses Ironic's fake-hardware driver (no real machine)."
  type        = string
  default     = "fake://server-0"
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
  description = "MAC address of the NIC the host network-boots from."
  type        = string
  default     = "02:6d:33:02:00:00"
}

variable "image_url" {
  description = "URL of the qcow2 image to deploy."
  type        = string
}

variable "image_checksum_url" {
  description = "URL of a sha256 checksum file that lists the image (or the checksum itself)."
  type        = string
}

variable "root_disk_min_size_gigabytes" {
  description = "Smallest disk, in GiB, the image may be written to."
  type        = number
  default     = 1
}

variable "boot_mode" {
  description = "Firmware boot mode of the host: \"UEFI\", \"UEFISecureBoot\" or \"legacy\" (the VM lab's machines boot with a legacy BIOS)."
  type        = string
  default     = "UEFI"
}
