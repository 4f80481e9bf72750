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
  ironic_url         = var.ironic_url
  namespace          = var.namespace
  deploy_kernel_url  = var.deploy_kernel_url
  deploy_ramdisk_url = var.deploy_ramdisk_url
}

locals {
  # One entry per machine, keyed by host name. Passwords stay out of this map: a map holding a
  # sensitive value becomes sensitive as a whole and cannot drive for_each.
  hosts = merge(
    {
      for h in var.fake_hosts : h.name => {
        kind    = "fake"
        address = "fake://${h.name}"
        mac     = h.mac
      }
    },
    {
      # redfish_url is e.g. http://127.0.0.1:8000, so the BMC address becomes
      # redfish+http://127.0.0.1:8000/redfish/v1/Systems/<uuid>.
      for s in var.redfish_systems : "redfish-${replace(lower(s.name), "_", "-")}" => {
        kind    = "redfish"
        address = "${var.redfish_scheme}+${var.redfish_url}/redfish/v1/Systems/${s.uuid}"
        mac     = s.mac
      }
    },
  )
}

# Enroll every host and inspect it. Without an image a host ends up `available`:
# powered, cleaned and ready to be provisioned later.
resource "metal3_baremetal_host" "host" {
  for_each = local.hosts

  name             = each.key
  boot_mac_address = each.value.mac
  description      = "quickstart ${each.value.kind} host"

  # Fake hosts clean instantly (fake deploy interface); Redfish hosts per var.redfish_cleaning_mode.
  automated_cleaning_mode = each.value.kind == "redfish" ? var.redfish_cleaning_mode : "metadata"
  boot_mode               = each.value.kind == "redfish" ? var.redfish_boot_mode : null

  bmc = {
    address  = each.value.address
    username = each.value.kind == "redfish" ? var.redfish_username : var.fake_bmc_username
    password = each.value.kind == "redfish" ? var.redfish_password : var.fake_bmc_password
  }

  timeouts {
    create = "30m"
  }
}
