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

# Enroll, inspect, clean and deploy an image with a config drive. Changing `image`
# later redeploys the host; removing it deprovisions the host.
resource "metal3_baremetal_host" "server" {
  name             = var.host_name
  boot_mac_address = var.boot_mac_address
  boot_mode        = var.boot_mode
  online           = true

  bmc = {
    address  = var.bmc_address
    username = var.bmc_username
    password = var.bmc_password
  }

  image = {
    url           = var.image_url
    checksum      = var.image_checksum_url # a checksum file listing the image, or the checksum itself
    checksum_type = "sha256"
    disk_format   = "qcow2"
  }

  # The image goes to the first disk of at least this size; every hint set must match.
  root_device_hints = {
    min_size_gigabytes = var.root_disk_min_size_gigabytes
  }

  # Config drive: cloud-init user data and OpenStack network_data.json.
  user_data = templatefile("${path.module}/cloud-init.yaml.tftpl", {
    hostname = var.host_name
  })
  network_data = jsonencode({
    links = [{
      id                   = "eth0"
      type                 = "phy"
      ethernet_mac_address = var.boot_mac_address
    }]
    networks = [{
      id      = "provisioning"
      link    = "eth0"
      type    = "ipv4_dhcp"
      network = "provisioning"
    }]
    services = []
  })

  timeouts {
    create = "30m"
    delete = "30m"
  }
}
