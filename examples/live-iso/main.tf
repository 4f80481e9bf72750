terraform {
  required_version = ">= 1.5"
  required_providers {
    metal3 = {
      source  = "metal3-io/metal3"
      version = "0.1.0"
    }
  }
}

provider "metal3" {
  ironic_url = var.ironic_url
  namespace  = var.namespace
}

# Boot a live ISO instead of writing a disk (Ironic's ramdisk deploy). A live ISO has
# no checksum; the ISO is booted again on every power-on, nothing is installed.
resource "metal3_baremetal_host" "live" {
  name = var.host_name
  # Booting the ISO over the network needs the NIC the host boots from (a port in Ironic).
  boot_mac_address = var.boot_mac_address

  bmc = {
    address  = var.bmc_address
    username = var.bmc_username
    password = var.bmc_password
  }

  image = {
    url         = var.live_iso_url
    disk_format = "live-iso"
  }

  # A live-ISO host has no disk to prepare: skip inspection, and skip cleaning, which would
  # otherwise wait for an inspection agent when the host is deprovisioned.
  inspection_mode         = "disabled"
  automated_cleaning_mode = "disabled"
}
