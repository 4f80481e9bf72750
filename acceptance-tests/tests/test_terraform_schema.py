"""Terraform loads the provider binary (METAL3_PROVIDER_BIN) and sees the schema of the spec."""

import json

import pytest

from m3stack.testkit import PROVIDER_ADDRESS as PROVIDER
from m3stack.testkit import PROVIDER_SOURCE, PROVIDER_VERSION

CONFIG = f"""
terraform {{
  required_providers {{
    metal3 = {{
      source  = "{PROVIDER_SOURCE}"
      version = "{PROVIDER_VERSION}"
    }}
  }}
}}
""" + """
provider "metal3" {
  ironic_url = "http://127.0.0.1:6385"
}

resource "metal3_baremetal_host" "worker" {
  name             = "worker-0"
  boot_mac_address = "52:54:00:12:34:56"
  bmc = {
    address  = "fake://worker-0"
    username = "admin"
    password = "not-a-secret"
  }
}

data "metal3_baremetal_hosts" "all" {}
"""


@pytest.fixture
def initialized(terraform, provider_bin):
    terraform.write("main.tf", CONFIG)
    proc = terraform.run("init", "-input=false", "-no-color", check=False)
    assert proc.returncode == 0, (
        f"terraform init could not install/load the provider from {provider_bin}:\n{proc.stdout}\n{proc.stderr}")
    return terraform


def test_validate_accepts_a_small_config(initialized):
    proc = initialized.run("validate", "-no-color", check=False)
    assert proc.returncode == 0, f"terraform validate failed:\n{proc.stdout}\n{proc.stderr}"
    assert "The configuration is valid" in proc.stdout


def test_schema_has_host_resource_and_data_sources(initialized):
    proc = initialized.run("providers", "schema", "-json", check=False)
    assert proc.returncode == 0, f"terraform providers schema failed:\n{proc.stderr}"
    schemas = json.loads(proc.stdout)["provider_schemas"]
    assert PROVIDER in schemas, f"provider missing; got {list(schemas)}"
    provider = schemas[PROVIDER]

    host = provider["resource_schemas"]["metal3_baremetal_host"]["block"]
    bmc = host["attributes"]["bmc"]
    assert bmc.get("nested_type", {}).get("nesting_mode") == "single", f"bmc must be a nested attribute: {bmc}"
    bmc_attrs = bmc["nested_type"]["attributes"]
    assert bmc_attrs["address"].get("required") is True
    assert bmc_attrs["password"].get("sensitive") is True
    for computed in ("id", "provisioning_state", "hardware"):
        assert host["attributes"][computed].get("computed") is True, computed
    assert host["attributes"]["name"].get("required") is True

    data_sources = provider.get("data_source_schemas", {})
    assert "metal3_baremetal_host" in data_sources
    assert "metal3_baremetal_hosts" in data_sources
    assert "ironic_url" in provider["provider"]["block"]["attributes"]
