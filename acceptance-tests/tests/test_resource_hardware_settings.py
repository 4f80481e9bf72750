"""RAID, BIOS settings and firmware (`raid`, `firmware`, `bios_settings`, `firmware_components`)
on fake-hardware, with outcomes read from Ironic: the manual cleaning steps it ran (the node's
history), `raid_config`, the BIOS settings it holds (`/bios`) and the engine's record. Ironic's
fake RAID/BIOS/firmware interfaces get the steps their real counterparts have in the test
stack (m3stack/fake_steps.py)."""

import json
import re

from hostkit import fake_host, random_mac, resource, ws  # noqa: F401 (fixture)

FIRMWARE_URL = "http://127.0.0.1:9/firmware/bmc-1.3.bin"
RAID = {"hardware_raid_volumes": [
    {"name": "root", "level": "1", "size_gibibytes": 100},
    {"level": "5", "controller": "RAID.Integrated.1-1",
     "physical_disks": ["Disk.Bay.2", "Disk.Bay.3", "Disk.Bay.4"]},
]}


def host(mac: str, **extra) -> str:
    return resource("host", fake_host("hw-0", mac, inspection_mode="disabled",
                                      automated_cleaning_mode="disabled", **extra))


def cleanings(ironic, uuid: str) -> list:
    """The steps of each manual cleaning Ironic started for the node, oldest first."""
    events = ironic.get(f"/v1/nodes/{uuid}/history?detail=true")["history"]
    started = [e for e in sorted(events, key=lambda e: e["created_at"])
               if e["event"].startswith("Starting manual cleaning with steps=")]
    return [re.findall(r"'interface': '(\w+)', 'step': '(\w+)'", e["event"]) for e in started]


def bios(ironic, uuid: str) -> dict:
    return {s["name"]: s["value"] for s in ironic.get(f"/v1/nodes/{uuid}/bios")["bios"]}


def plan_words(ws) -> str:
    proc = ws.plan()
    return proc.stdout + proc.stderr


def test_settings_are_prepared_once_before_the_host_is_available(ws, ironic):
    mac = random_mac()
    settings = dict(raid=RAID, firmware={"virtualization_enabled": True},
                    bios_settings={"ProcTurboMode": "Disabled"},
                    firmware_components=[{"component": "bmc", "url": FIRMWARE_URL}])
    ws.configure(host(mac, **settings))
    words = plan_words(ws)
    for said in ("firmware FLASHED (bmc from " + FIRMWARE_URL, "BIOS settings applied",
                 "ProcTurboMode = Disabled", "ProcVirtualization = Enabled",
                 "RAID rebuilt: disks Disk.Bay.2, Disk.Bay.3, Disk.Bay.4 ERASED", "REBOOTS"):
        assert said in words, words
    ws.apply()
    state = ws.resources()["metal3_baremetal_host.host"]
    uuid = state["id"]
    node = ironic.node(uuid)
    assert node["provision_state"] == "available"
    assert cleanings(ironic, uuid) == [[
        ("raid", "delete_configuration"), ("raid", "create_configuration"),
        ("firmware", "update"), ("bios", "apply_configuration"),
    ]]
    disks = node["raid_config"]["logical_disks"]
    assert [(d["raid_level"], d["size_gb"], d["is_root_volume"]) for d in disks] == \
        [("1", 100, True), ("5", "MAX", False)]
    assert disks[1]["physical_disks"] == ["Disk.Bay.2", "Disk.Bay.3", "Disk.Bay.4"]
    assert bios(ironic, uuid) == {"ProcTurboMode": "Disabled", "ProcVirtualization": "Enabled"}
    assert node["extra"]["metal3_hardware_settings"]["bios_settings"] == \
        {"ProcTurboMode": "Disabled"}
    assert state["bios_settings_current"] == bios(ironic, uuid)
    assert state["hardware_settings_pending"] == []
    ws.assert_no_drift()
    built = node["raid_config"]["last_updated"]

    # One BIOS setting changes: only the BIOS step runs; the RAID (and its disks) is kept.
    settings["bios_settings"] = {"ProcTurboMode": "Enabled"}
    ws.configure(host(mac, **settings))
    words = plan_words(ws)
    assert "BIOS settings applied" in words and "RAID" not in words, words
    ws.apply()
    assert cleanings(ironic, uuid)[1:] == [[("bios", "apply_configuration")]]
    assert ironic.node(uuid)["raid_config"]["last_updated"] == built
    assert bios(ironic, uuid)["ProcTurboMode"] == "Enabled"
    ws.assert_no_drift()

    # Set back behind Terraform's back (a manual cleaning of someone else's): the plan shows
    # the drift, apply sets it again.
    ironic.set_provision_state(uuid, "manage")
    ironic.wait_provision_state(uuid, "manageable")
    ironic.set_provision_state(uuid, "clean", clean_steps=[{
        "interface": "bios", "step": "apply_configuration",
        "args": {"settings": [{"name": "ProcTurboMode", "value": "Disabled"}]}}])
    ironic.wait_provision_state(uuid, "manageable")
    ironic.set_provision_state(uuid, "provide")
    ironic.wait_provision_state(uuid, "available")
    drift = ws.plan("-detailed-exitcode")
    assert drift.returncode == 2, drift.stdout + drift.stderr
    assert "ProcTurboMode" in drift.stdout and "BIOS settings applied" in drift.stdout
    ws.apply()
    assert bios(ironic, uuid)["ProcTurboMode"] == "Enabled"
    ws.assert_no_drift()

    # `raid = {}` deletes the volumes; the other settings removed are left as they are.
    ws.configure(host(mac, raid={}))
    words = plan_words(ws)
    assert "RAID volumes DELETED" in words and "BIOS" not in words, words
    ws.apply()
    assert cleanings(ironic, uuid)[-1] == [("raid", "delete_configuration")]
    assert ironic.node(uuid)["raid_config"] == {}
    assert bios(ironic, uuid)["ProcTurboMode"] == "Enabled"
    ws.assert_no_drift()

    # `raid` removed: nothing runs.
    count = len(cleanings(ironic, uuid))
    ws.configure(host(mac))
    ws.apply()
    assert len(cleanings(ironic, uuid)) == count
    state = ws.resources()["metal3_baremetal_host.host"]
    assert state["hardware_settings_pending"] is None
    ws.assert_no_drift()
    ws.destroy()


def servicings(ironic, uuid: str) -> list:
    """The steps of each servicing Ironic started for the node, oldest first."""
    events = ironic.get(f"/v1/nodes/{uuid}/history?detail=true")["history"]
    started = [e for e in sorted(events, key=lambda e: e["created_at"])
               if e["event"].startswith("Starting servicing with steps=")]
    return [re.findall(r"'interface': '(\w+)', 'step': '(\w+)'", e["event"]) for e in started]


def deployments(ironic, uuid: str) -> int:
    events = ironic.get(f"/v1/nodes/{uuid}/history?detail=true")["history"]
    return sum(e["event"].startswith("Starting deployment") for e in events)


def test_a_provisioned_host_keeps_a_change_pending_unless_its_policy_allows_servicing(
        ws, ironic, stack):
    mac = random_mac()
    image = {"url": stack["images"]["qcow2_url"], "checksum": stack["images"]["qcow2_sha256"]}
    ws.configure(host(mac, image=image, bios_settings={"ProcTurboMode": "Disabled"}))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    assert ironic.node(uuid)["provision_state"] == "active"
    assert cleanings(ironic, uuid) == [[("bios", "apply_configuration")]]
    assert deployments(ironic, uuid) == 1

    # No update policy: a BIOS and a RAID change wait; nothing runs, and the plan says so once.
    changed = dict(image=image, bios_settings={"ProcTurboMode": "Enabled"}, raid=RAID)
    ws.configure(host(mac, **changed))
    words = plan_words(ws)
    assert "raid, bios_settings change on a provisioned host: nothing is applied now" in words, words
    ws.apply()
    assert len(cleanings(ironic, uuid)) == 1 and servicings(ironic, uuid) == []
    assert bios(ironic, uuid)["ProcTurboMode"] == "Disabled"
    state = ws.resources()["metal3_baremetal_host.host"]
    assert state["hardware_settings_pending"] == ["raid", "bios_settings"]
    assert state["bios_settings_current"]["ProcTurboMode"] == "Disabled"
    # Pending is not a change: the next plan is empty.
    ws.assert_no_drift()

    # The policy lets BIOS settings in by servicing: the host reboots and stays provisioned;
    # RAID (which would erase the running system's disks) still waits.
    ws.configure(host(mac, **changed, update_policy={"firmware_settings": "on_reboot"}))
    words = plan_words(ws)
    assert "the provisioned host is serviced (update_policy): BIOS settings applied " \
           "(ProcTurboMode = Enabled); the host REBOOTS" in words, words
    assert "ERASED" not in words, words
    ws.apply()
    assert servicings(ironic, uuid) == [[("bios", "apply_configuration")]]
    node = ironic.node(uuid)
    # Fake hardware reads no power after servicing until Ironic's next power sync.
    assert node["provision_state"] == "active" and node["power_state"] != "power off"
    assert deployments(ironic, uuid) == 1 and len(cleanings(ironic, uuid)) == 1
    assert node["raid_config"] == {}
    assert bios(ironic, uuid)["ProcTurboMode"] == "Enabled"
    assert ws.resources()["metal3_baremetal_host.host"]["hardware_settings_pending"] == ["raid"]
    ws.assert_no_drift()

    # Deprovisioned (image removed): the RAID is built on the way to `available`.
    ws.configure(host(mac, bios_settings={"ProcTurboMode": "Enabled"}, raid=RAID))
    words = plan_words(ws)
    assert "RAID rebuilt" in words and "BIOS" not in words, words
    ws.apply()
    assert cleanings(ironic, uuid)[-1] == [("raid", "delete_configuration"),
                                           ("raid", "create_configuration")]
    assert len(ironic.node(uuid)["raid_config"]["logical_disks"]) == 2
    assert ws.resources()["metal3_baremetal_host.host"]["hardware_settings_pending"] == []
    ws.assert_no_drift()
    ws.destroy()
