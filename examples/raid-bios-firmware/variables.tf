# `make demo` and scripts/example.sh write the stack's values into stack.auto.tfvars.json;
# against your own Ironic, set them in a *.tfvars file.

variable "ironic_url" {
  description = "Root URL of the Ironic API, e.g. http://127.0.0.1:6385."
  type        = string
}

variable "deploy_kernel_url" {
  description = "URL of the Ironic Python Agent kernel (needed for agent inspection)."
  type        = string
}

variable "deploy_ramdisk_url" {
  description = "URL of the Ironic Python Agent initramfs (needed for agent inspection)."
  type        = string
}

variable "namespace" {
  description = "Namespace of the host; its Ironic node is named <namespace>~<name>."
  type        = string
  default     = "raid-bios-firmware"
}

variable "host_name" {
  description = "Name of the host."
  type        = string
  default     = "worker-0"
}

variable "bmc_address" {
  description = "BMC address, e.g. idrac-virtualmedia://10.0.0.10/redfish/v1/Systems/System.Embedded.1. fake:// uses Ironic's fake-hardware driver (no real machine; its RAID, BIOS and firmware interfaces record what they are asked)."
  type        = string
  default     = "fake://worker-0"
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
  default     = "02:6d:33:05:00:00"
}

variable "raid_controller" {
  description = "The RAID controller of the data volume, by its Redfish name."
  type        = string
  default     = "RAID.Integrated.1-1"
}

variable "data_disks" {
  description = "The controller's names of the data volume's disks."
  type        = list(string)
  default     = ["Disk.Bay.2", "Disk.Bay.3", "Disk.Bay.4"]
}

variable "bios_settings" {
  description = "BIOS settings by the vendor's attribute names."
  type        = map(string)
  default     = { ProcTurboMode = "Disabled" }
}

variable "bmc_firmware_url" {
  description = "Where the BMC downloads its firmware image (http or https)."
  type        = string
  default     = "https://firmware.example.com/bmc-1.3.bin"
}
