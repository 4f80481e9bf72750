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


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.yaml")))
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
        written = next(yaml.safe_load_all(manifest))
        assert written["apiVersion"] == "metal3.io/v1alpha1" and written["kind"] == "BareMetalHost"
    ws.assert_no_drift()


def test_unsupported_baremetalhost_features_fail_at_the_call_naming_host_and_field(ws):
    # A software RAID disk chosen by a hint other than its device name.
    text = (FIXTURES / "raid.yaml").read_text().replace("- deviceName: /dev/sdb", "- model: PERC H740P")
    (ws.workdir / "bmh.yaml").write_text(text)
    ws.configure(ROUND_TRIP_TF, provider=UNREACHABLE)
    proc = ws.plan()
    assert proc.returncode == 1
    text = " ".join((proc.stdout + proc.stderr).split())
    assert 'Invalid value for "manifest" parameter' in text, text
    assert ('BareMetalHost "swraid-host": spec.raid.softwareRAIDVolumes[0].physicalDisks[1]: only '
            '`deviceName` is supported') in text, text
    assert "`model` cannot be matched here" in text, text


def test_raid_firmware_and_the_firmware_objects_become_the_hardware_arguments(ws):
    """`kubectl get bmh,hfs,hfc -o yaml` read in Terraform: spec.raid and spec.firmware become
    `raid` and `firmware`, a host's HostFirmwareSettings and HostFirmwareComponents its
    `bios_settings` and `firmware_components`, and the manifest written back carries them in
    documents of their own, which read back to the same host."""
    stream = (FIXTURES / "firmware.yaml").read_text() + "---\n" + (FIXTURES / "raid.yaml").read_text()
    (ws.workdir / "bmh.yaml").write_text(stream)
    ws.configure(ROUND_TRIP_TF, provider=UNREACHABLE)
    ws.apply()
    out = ws.outputs()
    hosts = {h["name"]: h for h in out["hosts"]}
    assert list(hosts) == ["fw-host", "plain-host", "raid-host", "swraid-host"]
    fw = hosts["fw-host"]
    assert fw["firmware"] == {"simultaneous_multithreading_enabled": False, "sriov_enabled": True,
                              "virtualization_enabled": True}
    # spec.settings, not status.settings; Metal3's IntOrString 2933 as text.
    assert fw["bios_settings"] == {"LogicalProc": "Disabled", "MemFrequency": "2933", "ProcTurboMode": "Disabled"}
    assert fw["firmware_components"] == [
        {"component": "bios", "url": "https://firmware.example.com/dell/bios-2.19.1.exe"},
        {"component": "bmc", "url": "https://firmware.example.com/dell/idrac-7.00.30.exe"},
    ]
    assert fw["raid"] is None
    # Metal3's empty HostFirmwareSettings of every host asks for nothing.
    plain = hosts["plain-host"]
    assert [plain[k] for k in ("raid", "firmware", "bios_settings", "firmware_components")] == [None] * 4
    hardware = hosts["raid-host"]["raid"]
    assert hardware["software_raid_volumes"] is None
    assert hardware["hardware_raid_volumes"][0] == {
        "name": "root", "level": "1", "size_gibibytes": 200, "rotational": False,
        "number_of_physical_disks": None, "physical_disks": None, "controller": None}
    assert hardware["hardware_raid_volumes"][1]["number_of_physical_disks"] == 3
    assert hardware["hardware_raid_volumes"][1]["controller"] == "RAID.Integrated.1-1"
    software = hosts["swraid-host"]["raid"]["software_raid_volumes"]
    assert software == [{"level": "1", "size_gibibytes": 100, "physical_disks": ["/dev/sda", "/dev/sdb"]},
                        {"level": "0", "size_gibibytes": None, "physical_disks": None}]
    # Written back: the host, then its firmware objects, which read back to the same host.
    assert out["again"] == out["hosts"]
    documents = list(yaml.safe_load_all(out["manifests"][0]))
    assert [d["kind"] for d in documents] == ["BareMetalHost", "HostFirmwareSettings", "HostFirmwareComponents"]
    assert all(d["metadata"] == {"name": "fw-host", "namespace": "metal3"} for d in documents[1:])
    assert documents[0]["spec"]["firmware"] == {"simultaneousMultithreadingEnabled": False,
                                                "sriovEnabled": True, "virtualizationEnabled": True}
    assert documents[1]["spec"] == {"settings": fw["bios_settings"]}
    assert documents[2]["spec"] == {"updates": fw["firmware_components"]}
    swraid = next(yaml.safe_load_all(out["manifests"][3]))
    assert swraid["spec"]["raid"]["softwareRAIDVolumes"][0]["physicalDisks"] == [
        {"deviceName": "/dev/sda"}, {"deviceName": "/dev/sdb"}]
    ws.assert_no_drift()


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


def test_a_metal3_host_with_raid_and_firmware_objects_is_prepared_by_the_resource(ws, ironic):
    """The functions page's example with the hardware arguments, applied on fake-hardware: a
    BareMetalHost's spec.raid and spec.firmware, with its HostFirmwareSettings and
    HostFirmwareComponents, become a host whose RAID, BIOS and firmware Ironic prepares."""
    url = "http://127.0.0.1:9/firmware/bmc-1.3.bin"
    (ws.workdir / "bmh.yaml").write_text(f"""apiVersion: metal3.io/v1alpha1
kind: BareMetalHost
metadata:
  name: fleet-hw
spec:
  online: false
  bootMACAddress: {random_mac()}
  automatedCleaningMode: disabled
  inspectionMode: disabled
  bmc:
    address: fake://fleet-hw
    credentialsName: fleet-bmc
  raid:
    hardwareRAIDVolumes:
    - name: root
      level: "1"
      sizeGibibytes: 100
  firmware:
    virtualizationEnabled: true
---
apiVersion: metal3.io/v1alpha1
kind: HostFirmwareSettings
metadata:
  name: fleet-hw
spec:
  settings:
    ProcTurboMode: Disabled
---
apiVersion: metal3.io/v1alpha1
kind: HostFirmwareComponents
metadata:
  name: fleet-hw
spec:
  updates:
  - component: bmc
    url: {url}
""")
    ws.configure(FLEET_TF.replace(
        "  custom_deploy           = each.value.custom_deploy\n",
        "  custom_deploy           = each.value.custom_deploy\n"
        "  raid                    = each.value.raid\n"
        "  firmware                = each.value.firmware\n"
        "  bios_settings           = each.value.bios_settings\n"
        "  firmware_components     = each.value.firmware_components\n"))
    ws.apply()
    state = ws.resources()['metal3_baremetal_host.fleet["fleet-hw"]']
    node = ironic.node(state["id"])
    assert node["provision_state"] == "available"
    disks = node["raid_config"]["logical_disks"]
    assert [(d["raid_level"], d["size_gb"]) for d in disks] == [("1", 100)]
    bios = {s["name"]: s["value"] for s in ironic.get(f"/v1/nodes/{state['id']}/bios")["bios"]}
    assert bios == {"ProcTurboMode": "Disabled", "ProcVirtualization": "Enabled"}
    assert state["firmware_components"] == [{"component": "bmc", "url": url}]
    assert state["hardware_settings_pending"] == []
    ws.assert_no_drift()
