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

# Day-2 hardware: RAID, BIOS settings and firmware are applied by Ironic manual cleaning after
# the host is inspected and before it is made available (Metal3's "preparing"). The plan says,
# per host, what REBOOTS and which disks are ERASED. Once the host is provisioned, changes wait
# for its next deprovision unless `update_policy` lets Ironic service it.
resource "metal3_baremetal_host" "worker" {
  name             = var.host_name
  boot_mac_address = var.boot_mac_address

  bmc = {
    address  = var.bmc_address
    username = var.bmc_username
    password = var.bmc_password
  }

  # A mirrored root volume and a RAID-5 data volume on the BMC's controller. Building them
  # deletes the controller's existing volumes first: their data is lost.
  raid = {
    hardware_raid_volumes = [
      { name = "root", level = "1", size_gibibytes = 100 },
      {
        name           = "data"
        level          = "5"
        controller     = var.raid_controller
        physical_disks = var.data_disks
      },
    ]
  }

  # Vendor-independent switches, set under the vendor's own BIOS attribute names.
  firmware = {
    virtualization_enabled              = true
    simultaneous_multithreading_enabled = true
  }

  # Anything else by the vendor's names (bios_settings_current lists what the host has).
  bios_settings = var.bios_settings

  firmware_components = [
    { component = "bmc", url = var.bmc_firmware_url },
  ]

  # On a provisioned host, BIOS settings may be applied by servicing (a reboot); firmware and
  # RAID wait for the next deprovision.
  update_policy = {
    firmware_settings = "on_reboot"
  }
}
