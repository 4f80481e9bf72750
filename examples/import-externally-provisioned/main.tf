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

# Take over a machine that already runs an operating system and is already known to Ironic
# (scripts/example.sh creates such an `active` node before running this example). The import
# reads the node as it is: nothing is powered, cleaned or written.
import {
  to = metal3_baremetal_host.legacy
  id = "${var.namespace}/${var.host_name}"
}

resource "metal3_baremetal_host" "legacy" {
  name      = var.host_name
  namespace = var.namespace

  bmc = {
    address  = var.bmc_address
    username = var.bmc_username
    password = var.bmc_password
  }

  # The disks are never touched; `image` only records what is installed.
  externally_provisioned = true
  inspection_mode        = "disabled"

  image = {
    url      = var.installed_image_url
    checksum = var.installed_image_checksum
  }
}
