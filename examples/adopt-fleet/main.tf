terraform {
  required_version = ">= 1.14"
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

# Adopt machines Ironic already runs, without writing their configuration by hand:
#
#   terraform query -generate-config-out=hosts.tf   # fleet.tfquery.hcl lists them
#   (fill in each host's BMC credentials in hosts.tf; scripts/fill_generated_bmc.py does it)
#   terraform apply                                  # imports them; nothing deployed, cleaned or switched
#
# hosts.tf then holds one metal3_baremetal_host and one import block per machine. Running nodes
# come out as externally_provisioned = true: their disks are never deployed or cleaned, not even
# when destroyed.
