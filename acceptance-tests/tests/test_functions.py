"""Provider functions (`provider::metal3::...`) called by real Terraform: results as Terraform
sees them (types included), errors at the call with the argument named, and no Ironic needed:
the provider block here points at a port nothing listens on."""

import json
from pathlib import Path

import pytest
import yaml

from hostkit import node_name, nodes_in, random_mac, ws  # noqa: F401 (ws is a fixture)
from ironic_log import IronicLog

UNREACHABLE = {"ironic_url": "http://127.0.0.1:9"}


def bmc_output(name: str, address: str) -> str:
    return f'output "{name}" {{\n  value = provider::metal3::bmc_address("{address}")\n}}\n'


def test_bmc_address_parses_like_the_resource_and_names_the_driver(ws, stack):
    ws.configure(
        bmc_output("vmedia", "redfish-virtualmedia+https://10.0.0.5:8443/redfish/v1/Systems/1")
        + bmc_output("bare", "192.168.1.10")
        + bmc_output("idrac", "idrac-virtualmedia://[fd00::5]/redfish/v1/Systems/System.Embedded.1")
        + 'output "driver_only" {\n  value = provider::metal3::bmc_address("ilo4://h").driver\n}\n',
        provider=UNREACHABLE,
    )
    log = IronicLog(stack)
    mark = log.mark()
    ws.apply()
    out = ws.outputs()
    assert out["vmedia"] == {
        "scheme": "redfish-virtualmedia", "transport": "https", "driver": "redfish",
        "host": "10.0.0.5", "port": 8443, "path": "/redfish/v1/Systems/1",
        "virtual_media": True, "needs_boot_mac_address": False,
    }
    assert out["bare"]["scheme"] == "ipmi" and out["bare"]["port"] is None
    assert out["bare"]["transport"] is None and out["bare"]["needs_boot_mac_address"] is True
    assert out["idrac"]["host"] == "fd00::5" and out["idrac"]["driver"] == "idrac"
    assert out["driver_only"] == "ilo"
    assert not log.provider_requests_since(mark), "a function call reaches no Ironic"
    # Functions are pure: the next plan is empty.
    ws.assert_no_drift()


def test_a_bad_bmc_address_fails_at_the_call_with_what_is_accepted(ws):
    ws.configure(bmc_output("bad", "bogus://10.0.0.5"), provider=UNREACHABLE)
    proc = ws.plan()
    assert proc.returncode == 1
    text = " ".join((proc.stdout + proc.stderr).split())
    assert 'Error: Invalid function argument' in text, text
    assert 'Invalid value for "address" parameter' in text, text
    assert 'unknown BMC address scheme "bogus"' in text and "accepted schemes: ipmi" in text, text
    assert "bmc_address" in text, text


def test_credentials_in_a_bmc_address_are_refused_without_echoing_them(ws):
    ws.configure(bmc_output("creds", "redfish://admin:s3cr3t-pw@10.0.0.5/redfish/v1/Systems/1"),
                 provider=UNREACHABLE)
    proc = ws.plan()
    assert proc.returncode == 1
    text = " ".join((proc.stdout + proc.stderr).split())
    assert 'Invalid value for "address" parameter' in text, text
    assert "must not contain credentials" in text, text
    # Terraform quotes the call's source line, which holds the literal; the provider's own
    # message must not add it anywhere else.
    message = text.split("must not contain credentials", 1)[1]
    assert "s3cr3t-pw" not in message, text


# ---- BareMetalHost manifests --------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parents[2] / "provider" / "tests" / "fixtures" / "baremetalhosts"
ROUND_TRIP_TF = """
locals {
  hosts = provider::metal3::baremetalhosts(file("${path.module}/bmh.yaml"))
}

output "hosts" {
  value = local.hosts
}

output "again" {
  value = flatten([
    for h in local.hosts : provider::metal3::baremetalhosts(provider::metal3::baremetalhost_manifest(h))
  ])
}

output "manifests" {
  value = [for h in local.hosts : provider::metal3::baremetalhost_manifest(h)]
}
"""


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.yaml") if p.name != "raid.yaml"))
def test_every_baremetalhost_fixture_round_trips_through_both_functions(ws, fixture):
    (ws.workdir / "bmh.yaml").write_text((FIXTURES / fixture).read_text())
    ws.configure(ROUND_TRIP_TF, provider=UNREACHABLE)
    ws.apply()
    out = ws.outputs()
    hosts = out["hosts"]
    source = yaml.safe_load_all((FIXTURES / fixture).read_text())
    expected = [d for doc in source for d in (doc.get("items", []) if doc.get("kind") == "List" else [doc])
                if d.get("kind") == "BareMetalHost"]
    assert [h["name"] for h in hosts] == [d["metadata"]["name"] for d in expected]
    assert out["again"] == hosts
    for host, doc in zip(hosts, expected):
        spec = doc["spec"]
        assert host["bmc"]["address"] == spec["bmc"]["address"]
        assert host["bmc"]["credentials_name"] == spec["bmc"]["credentialsName"]
        assert host["online"] == spec["online"]
        assert host["boot_mac_address"] == spec.get("bootMACAddress")
        assert host["externally_provisioned"] == spec.get("externallyProvisioned", False)
    for manifest in out["manifests"]:
        written = yaml.safe_load(manifest)
        assert written["apiVersion"] == "metal3.io/v1alpha1" and written["kind"] == "BareMetalHost"
    ws.assert_no_drift()


def test_unsupported_baremetalhost_features_fail_at_the_call_naming_host_and_field(ws):
    (ws.workdir / "bmh.yaml").write_text((FIXTURES / "raid.yaml").read_text())
    ws.configure(ROUND_TRIP_TF, provider=UNREACHABLE)
    proc = ws.plan()
    assert proc.returncode == 1
    text = " ".join((proc.stdout + proc.stderr).split())
    assert 'Invalid value for "manifest" parameter' in text, text
    assert 'BareMetalHost "raid-host": spec.raid is not supported by this provider' in text, text


def test_a_manifest_written_for_an_inspected_host_restores_it_in_metal3(ws, stack):
    """The resource itself passed to baremetalhost_manifest: Metal3's status annotation carries
    the inspected hardware, and neither the BMC password nor user data appear."""
    ws.configure(f"""
resource "metal3_baremetal_host" "h" {{
  name             = "manifest-0"
  boot_mac_address = "52:54:00:6d:00:01"
  user_data        = "#cloud-config token-not-in-manifest"
  bmc = {{
    address  = "fake://manifest-0"
    username = "admin"
    password = "pw-not-in-manifest"
  }}
}}

output "manifest" {{
  value = nonsensitive(provider::metal3::baremetalhost_manifest(metal3_baremetal_host.h))
}}
""")
    ws.apply()
    manifest = ws.outputs()["manifest"]
    assert "pw-not-in-manifest" not in manifest and "token-not-in-manifest" not in manifest
    doc = yaml.safe_load(manifest)
    assert doc["spec"]["bmc"] == {"address": "fake://manifest-0", "credentialsName": "manifest-0-bmc-secret"}
    assert doc["spec"]["userData"] == {"name": "manifest-0-user-data"}
    status = json.loads(doc["metadata"]["annotations"]["baremetalhost.metal3.io/status"])
    node = ws.resources()["metal3_baremetal_host.h"]
    assert status["provisioning"]["ID"] == node["id"]
    assert status["provisioning"]["state"] == "available"
    assert status["hardware"]["ramMebibytes"] == node["hardware"]["ram_mebibytes"] > 0
    assert status["hardware"]["cpu"]["arch"] == node["hardware"]["cpu"]["arch"]
    ws.destroy()


FLEET_TF = """
variable "bmc_credentials" {
  type      = map(object({ username = string, password = string }))
  sensitive = true
  default   = { "fleet-bmc" = { username = "admin", password = "fleet-password" } }
}

locals {
  bmh = { for h in provider::metal3::baremetalhosts(file("${path.module}/bmh.yaml")) : h.name => h }
}

resource "metal3_baremetal_host" "fleet" {
  for_each = local.bmh

  name                    = each.value.name
  namespace               = each.value.namespace
  boot_mac_address        = each.value.boot_mac_address
  boot_mode               = each.value.boot_mode
  online                  = each.value.online
  externally_provisioned  = each.value.externally_provisioned
  automated_cleaning_mode = each.value.automated_cleaning_mode
  inspection_mode         = each.value.inspection_mode
  description             = each.value.description
  root_device_hints       = each.value.root_device_hints
  image                   = each.value.image
  custom_deploy           = each.value.custom_deploy

  bmc = {
    address                          = each.value.bmc.address
    disable_certificate_verification = each.value.bmc.disable_certificate_verification
    username                         = var.bmc_credentials[each.value.bmc.credentials_name].username
    password_wo                      = var.bmc_credentials[each.value.bmc.credentials_name].password
    password_wo_version              = 1
  }
}
"""


def test_a_metal3_manifest_drives_the_resource_through_for_each(ws, ironic):
    """The functions page's example, applied: a Metal3 fleet's manifest becomes hosts in Ironic
    with the manifest's settings, and the next plan is empty."""
    hosts = "".join(f"""---
apiVersion: metal3.io/v1alpha1
kind: BareMetalHost
metadata:
  name: fleet-{i}
spec:
  online: {'true' if i == 0 else 'false'}
  bootMACAddress: {random_mac()}
  automatedCleaningMode: disabled
  description: rack {i}
  bmc:
    address: fake://fleet-{i}
    credentialsName: fleet-bmc
  rootDeviceHints:
    minSizeGigabytes: 10
""" for i in range(2))
    (ws.workdir / "bmh.yaml").write_text(hosts)
    ws.configure(FLEET_TF)
    ws.apply()
    nodes = {n["name"]: n for n in nodes_in(ironic, ws.namespace)}
    assert set(nodes) == {node_name(ws.namespace, f"fleet-{i}") for i in range(2)}
    for i in range(2):
        node = ironic.get(f"/v1/nodes/{nodes[node_name(ws.namespace, f'fleet-{i}')]['uuid']}")
        assert node["description"] == f"rack {i}"
        assert node["automated_clean"] is False
        assert node["properties"]["root_device"] == {"size": ">= 10"}
        assert node["power_state"] == ("power on" if i == 0 else "power off")
    ws.assert_no_drift()
