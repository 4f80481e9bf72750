"""The hosts a measurement creates: names, MACs and the Terraform configurations declaring them.

Every measurement gets its own namespace, so its nodes (`<namespace>~hNNNN`) and MACs never
collide with another's, even when a failed run left some behind.
"""

import hashlib
import json
from dataclasses import dataclass

from m3stack.testkit import PROVIDER_SOURCE, PROVIDER_VERSION

PREFIX = "bench"
FAKE_BMC_PASSWORD = "bench-fake-bmc"  # fake:// BMCs check nothing; kept out of printed output


@dataclass(frozen=True)
class Host:
    namespace: str
    name: str
    mac: str

    @property
    def node_name(self) -> str:
        return f"{self.namespace}~{self.name}"

    @property
    def bmc_address(self) -> str:
        return f"fake://{self.name}"


def namespace(label: str) -> str:
    return f"{PREFIX}-{label}"


def hosts(ns: str, count: int) -> list:
    """`count` hosts of namespace `ns`. The MACs (locally administered, 0e:...) carry a 16-bit
    tag of the namespace and the host's index, so the few namespaces of a run share none."""
    tag = hashlib.sha256(ns.encode()).digest()[:2]
    return [Host(ns, f"h{i:04d}", "0e:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}".format(
        tag[0], tag[1], (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF)) for i in range(count)]


MAIN_TF = """terraform {
  required_providers {
    metal3 = {
      source  = "%(source)s"
      version = "%(version)s"
    }
  }
}

variable "ironic_url" { type = string }
variable "namespace" { type = string }
variable "deploy_kernel_url" { type = string }
variable "deploy_ramdisk_url" { type = string }
variable "inspection_mode" { type = string }
variable "cleaning_mode" { type = string }
variable "hosts" { type = map(object({ mac = string })) }
variable "image" {
  type = object({
    url           = string
    checksum      = string
    checksum_type = string
    disk_format   = string
  })
  default = null
}
variable "bmc_password" {
  type      = string
  sensitive = true
}

provider "metal3" {
  ironic_url         = var.ironic_url
  namespace          = var.namespace
  deploy_kernel_url  = var.deploy_kernel_url
  deploy_ramdisk_url = var.deploy_ramdisk_url
}

resource "metal3_baremetal_host" "h" {
  for_each = var.hosts

  name                    = each.key
  boot_mac_address        = each.value.mac
  inspection_mode         = var.inspection_mode
  automated_cleaning_mode = var.cleaning_mode
  image                   = var.image

  bmc = {
    address  = "fake://${each.key}"
    username = "admin"
    password = var.bmc_password
  }
}
""" % {"source": PROVIDER_SOURCE, "version": PROVIDER_VERSION}

# Terraform's own floor: the same instances as built-in resources, no provider process.
TERRAFORM_DATA_TF = """variable "hosts" { type = map(object({ mac = string, bmc = string })) }

resource "terraform_data" "h" {
  for_each = var.hosts
  input    = each.value
}
"""


def image_of(stack: dict) -> dict:
    """The stack's qcow2 image with its checksum file, as the provisioning tests deploy it."""
    images = stack["images"]
    return {"url": images["qcow2_url"], "checksum": images["qcow2_sha256_url"],
            "checksum_type": "sha256", "disk_format": "qcow2"}


def host_vars(stack: dict, ns: str, members: list, image: dict | None = None,
              inspect: bool = True, clean: bool = True) -> str:
    """bench.auto.tfvars.json of MAIN_TF."""
    return json.dumps({
        "ironic_url": stack["ironic_url"],
        "namespace": ns,
        "deploy_kernel_url": stack["deploy_kernel_url"],
        "deploy_ramdisk_url": stack["deploy_ramdisk_url"],
        "inspection_mode": "agent" if inspect else "disabled",
        "cleaning_mode": "metadata" if clean else "disabled",
        "hosts": {h.name: {"mac": h.mac} for h in members},
        "image": image,
        "bmc_password": FAKE_BMC_PASSWORD,
    }, indent=1)


def terraform_data_vars(members: list) -> str:
    return json.dumps({"hosts": {h.name: {"mac": h.mac, "bmc": h.bmc_address} for h in members}},
                      indent=1)
