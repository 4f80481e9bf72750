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
}

# Read the fleet inventory from Ironic, whether or not this configuration manages the hosts.
# Filters combine with AND; a null filter is not applied.
data "metal3_baremetal_hosts" "fleet" {
  namespace          = var.namespace
  provisioning_state = var.provisioning_state
  min_ram_mebibytes  = var.min_ram_mebibytes
}
