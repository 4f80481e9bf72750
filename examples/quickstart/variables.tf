# `make demo` and scripts/example.sh write these from the local test stack into
# stack.auto.tfvars.json; against your own Ironic, set them in a *.tfvars file.

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
  description = "Namespace of the hosts; Ironic nodes are named <namespace>~<name>."
  type        = string
  default     = "quickstart"
}

variable "fake_hosts" {
  description = "Hosts on Ironic's fake-hardware driver: no real machine, every real Ironic state."
  type = list(object({
    name = string
    mac  = string
  }))
  default = [
    { name = "fake-0", mac = "02:6d:33:01:00:00" },
    { name = "fake-1", mac = "02:6d:33:01:00:01" },
    { name = "fake-2", mac = "02:6d:33:01:00:02" },
  ]
}

variable "fake_bmc_username" {
  description = "BMC user name of the fake hosts (not checked by the fake driver)."
  type        = string
  default     = "admin"
}

variable "fake_bmc_password" {
  description = "BMC password of the fake hosts (not checked by the fake driver)."
  type        = string
  sensitive   = true
  default     = "fake-password"
}

variable "redfish_url" {
  description = "Root URL of the Redfish BMC emulator, e.g. http://127.0.0.1:8000."
  type        = string
  default     = ""
}

variable "redfish_systems" {
  description = "Redfish systems to enroll: the emulator's system UUID, a name and the boot NIC's MAC."
  type = list(object({
    uuid = string
    name = string
    mac  = string
  }))
  default = []
}

variable "redfish_username" {
  description = "User name of the Redfish BMCs."
  type        = string
  default     = "admin"
}

variable "redfish_password" {
  description = "Password of the Redfish BMCs."
  type        = string
  sensitive   = true
  default     = null
}

variable "redfish_cleaning_mode" {
  description = "automated_cleaning_mode of the Redfish hosts: \"metadata\" (wipe disk metadata; needs the agent to boot on the host) or \"disabled\". The local stack's emulated Redfish systems boot no agent, so make demo sets \"disabled\"."
  type        = string
  default     = "metadata"
}

variable "redfish_scheme" {
  description = "BMC address scheme of the Redfish hosts: \"redfish\" (network boot) or \"redfish-virtualmedia\" (the agent boots from a virtual CD, as in the VM lab)."
  type        = string
  default     = "redfish"
}

variable "redfish_boot_mode" {
  description = "boot_mode of the Redfish hosts (\"UEFI\", \"UEFISecureBoot\" or \"legacy\"); null keeps the provider's default, UEFI. The VM lab's machines boot with a legacy BIOS."
  type        = string
  default     = null
}
