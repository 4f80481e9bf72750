"""BIOS settings, a BIOS firmware update and software RAID on a lab VM, in real Terraform: one
host that declares all three, prepared once (Ironic manual cleaning on the manageable node,
after inspection and before `provide`) by the real agent and sushy-tools' libvirt driver.

sushy-tools keeps a BIOS (attributes such as ProcTurboMode) and a BiosVersion per domain in the
domain's libvirt metadata; they change nothing in the VM. Its Manager reports a fixed
FirmwareVersion (the BMC's, 1.00). Its UpdateService.SimpleUpdate accepts System targets only,
never downloads the image and raises the minor number of BiosVersion (1.0.0 -> 1.1.0). The software RAID is real: the agent builds an md
RAID-1 over both virtio disks, which the test finds afterwards in both disks' partitions (md
superblocks read offline from the qcow2 files).

1. apply: enroll, inspect, prepare (raid.delete_configuration, deploy.erase_devices_metadata,
   raid.create_configuration, firmware.update, bios.apply_configuration), provide (cleaning
   disabled). Ironic's BIOS cache, sushy's Redfish BIOS and the domain's metadata all hold the
   setting; the state's `bios_settings_current` and `firmware_components_current` are what
   Ironic read from sushy; both disks hold a member of one md RAID-1. The disks start seeded
   with a partition table and a filesystem, as a used machine's: the agent refuses to build
   software RAID on disks holding partitions, so the preparation erases their metadata first.
2. The BIOS set back behind Terraform's back (an Ironic manual cleaning of someone else's, BMC
   only): the plan shows it, apply sets it again."""

import re
from pathlib import Path

from hostkit import flat, node_name
from labkit import emulator_bios, flows, history, md_members, raw_copy, redfish, seed_disks, vm_host


def bios(ironic, uuid: str) -> dict:
    return {s["name"]: s["value"] for s in ironic.get(f"/v1/nodes/{uuid}/bios")["bios"]}


def flow_events(ironic, uuid: str) -> list:
    """Ironic's history of the node, for messages: with the agent booting in between, Ironic 39
    records a manual cleaning's end (with `steps=[]`) but not its start, so the steps are read
    from its log instead."""
    return [(e["event_type"], e["event"][:160]) for e in history(ironic, uuid)]


def steps_run(lab: dict, uuid: str, since: int) -> list:
    """The clean steps the lab's Ironic executed on the node after byte `since` of its log, in
    order, each once (a step resumed after a reboot is executed again)."""
    with open(Path(lab["log_dir"]) / "ironic.log", "rb") as f:
        f.seek(since)
        text = f.read().decode(errors="replace")
    found = re.findall(r"Executing \{'interface': '(\w+)', 'step': '(\w+)'.*? on node " + uuid, text)
    return [s for i, s in enumerate(found) if i == 0 or found[i - 1] != s]


def log_size(lab: dict) -> int:
    return (Path(lab["log_dir"]) / "ironic.log").stat().st_size


def bumped(version: str) -> str:
    """What sushy-tools' SimpleUpdate makes of a BiosVersion: the minor number plus one."""
    parts = version.split(".")
    parts[1] = str(int(parts[1]) + 1)
    return ".".join(parts)


def test_bios_firmware_and_software_raid(lab_ws, lab, vm1, ironic, timed, tmp_path):
    vm = vm1
    system = vm["redfish_system_id"]
    # The emulator's BIOS back to its defaults (a previous run may have changed it); its
    # firmware version cannot be reset through Redfish: the test starts from whatever it is.
    status, _ = redfish(lab, "POST", system + "/BIOS/Actions/Bios.ResetBios", {})
    assert status == 204, status
    # sushy writes its versions into the domain's metadata when the System is first read.
    status, body = redfish(lab, "GET", system)
    assert status == 200, body
    attrs, versions = emulator_bios(vm["name"])
    assert attrs["ProcTurboMode"] == "Enabled", attrs
    before = versions["BiosVersion"]
    assert body["BiosVersion"] == before, (body["BiosVersion"], versions)
    # Disks holding partitions, as a used machine's: the agent refuses to build software RAID on
    # them ("Partitions detected on devices /dev/vda, /dev/vdb during RAID config"), so the
    # preparation erases their metadata first, as Metal3 does.
    seed_disks(vm, tmp_path)

    firmware_url = f"{lab['file_server_url']}/images/test-os.qcow2.sha256sum"  # never fetched
    raid = {"software_raid_volumes": [{"level": "1", "physical_disks": ["/dev/vda", "/dev/vdb"]}]}

    def configure(**extra):
        lab_ws.configure(vm_host(lab, vm, "hw", automated_cleaning_mode="disabled", raid=raid,
                                 bios_settings={"ProcTurboMode": "Disabled"}, **extra))

    configure(firmware_components=[{"component": "bios", "url": firmware_url}])
    mark = log_size(lab)
    with timed("apply (enroll, inspect, prepare: RAID, firmware, BIOS)"):
        proc = lab_ws.apply(check=False, timeout=2400)
    uuid = ironic.node(node_name(lab_ws.namespace, "hw"))["uuid"]
    node = ironic.node(uuid)
    assert proc.returncode == 0, (flat(proc)[-3000:], node["provision_state"], node["last_error"],
                                  flows(history(ironic, uuid)))
    assert node["provision_state"] == "available", (node["provision_state"], node["last_error"])
    assert node["raid_interface"] == "agent" and node["bios_interface"] == "redfish"
    assert node["firmware_interface"] == "redfish"
    assert steps_run(lab, uuid, mark) == [
        ("raid", "delete_configuration"), ("deploy", "erase_devices_metadata"),
        ("raid", "create_configuration"), ("firmware", "update"),
        ("bios", "apply_configuration")], flow_events(ironic, uuid)

    # BIOS: Ironic's cache, sushy's Redfish BIOS, the domain's metadata and the state agree.
    assert bios(ironic, uuid)["ProcTurboMode"] == "Disabled"
    status, body = redfish(lab, "GET", system + "/BIOS")
    assert status == 200 and body["Attributes"]["ProcTurboMode"] == "Disabled", body
    attrs, versions = emulator_bios(vm["name"])
    assert attrs["ProcTurboMode"] == "Disabled", attrs
    state = lab_ws.resources()["metal3_baremetal_host.vm"]
    assert state["bios_settings_current"] == bios(ironic, uuid)
    assert state["hardware_settings_pending"] == []

    # Firmware: sushy's SimpleUpdate raised BiosVersion; Ironic read it back after the update.
    assert versions["BiosVersion"] == bumped(before), (before, versions)
    status, body = redfish(lab, "GET", system)
    assert body["BiosVersion"] == versions["BiosVersion"], body.get("BiosVersion")
    components = ironic.get(f"/v1/nodes/{uuid}/firmware")["firmware"]
    fields = ("component", "initial_version", "current_version", "last_version_flashed")
    assert sorted(state["firmware_components_current"], key=lambda c: c["component"]) == \
        sorted(({k: c[k] for k in fields} for c in components), key=lambda c: c["component"])
    current = {c["component"]: c for c in state["firmware_components_current"]}
    assert (current["bios"]["initial_version"], current["bios"]["current_version"],
            current["bios"]["last_version_flashed"]) == (before, versions["BiosVersion"], versions["BiosVersion"]), current
    # The BMC's version is the emulator's Manager's (fixed; SimpleUpdate refuses Manager targets).
    manager = body["Links"]["ManagedBy"][0]["@odata.id"]
    status, manager_body = redfish(lab, "GET", manager)
    assert status == 200 and current["bmc"]["current_version"] == manager_body["FirmwareVersion"], current
    assert current["bmc"]["last_version_flashed"] is None, current

    # RAID: Ironic's record, and an md RAID-1 member on each disk.
    disks = node["raid_config"].get("logical_disks", [])
    assert [(d["raid_level"], d.get("controller")) for d in disks] == [("1", "software")], node["raid_config"]
    members = []
    for disk in vm["disks"]:
        raw = raw_copy(disk["path"], tmp_path / "disk.raw")
        try:
            found = md_members(raw)
            assert len(found) == 1, (disk["path"], found)
            members.append(found[0]["md"])
        finally:
            raw.unlink()
    assert [m["level"] for m in members] == ["raid1", "raid1"], members
    assert [m["raid_disks"] for m in members] == [2, 2], members
    assert members[0]["array_uuid"] == members[1]["array_uuid"], members
    assert sorted(m["dev_number"] for m in members) == [0, 1], members
    lab_ws.assert_no_drift()

    # 2. Drift: ProcTurboMode set back by a manual cleaning of someone else's (BMC only:
    # disable_ramdisk, no agent boot; the redfish BIOS step reboots the VM to apply it).
    with timed("drift: manual cleaning behind Terraform's back"):
        ironic.set_provision_state(uuid, "manage")
        ironic.wait_provision_state(uuid, "manageable", timeout=120)
        ironic.set_provision_state(uuid, "clean", disable_ramdisk=True, clean_steps=[{
            "interface": "bios", "step": "apply_configuration",
            "args": {"settings": [{"name": "ProcTurboMode", "value": "Enabled"}]}}])
        ironic.wait_provision_state(uuid, "manageable", timeout=900)
        ironic.set_provision_state(uuid, "provide")
        ironic.wait_provision_state(uuid, "available", timeout=120)
    assert bios(ironic, uuid)["ProcTurboMode"] == "Enabled"
    assert emulator_bios(vm["name"])[0]["ProcTurboMode"] == "Enabled"
    drift = lab_ws.plan("-detailed-exitcode")
    assert drift.returncode == 2, drift.stdout + drift.stderr
    assert "ProcTurboMode" in drift.stdout and "BIOS settings applied" in drift.stdout, drift.stdout
    assert "RAID" not in drift.stdout, drift.stdout
    mark = log_size(lab)
    with timed("apply (BIOS set again)"):
        proc = lab_ws.apply(check=False, timeout=2400)
    node = ironic.node(uuid)
    assert proc.returncode == 0, (flat(proc)[-3000:], node["provision_state"], node["last_error"])
    assert steps_run(lab, uuid, mark) == [("bios", "apply_configuration")], flow_events(ironic, uuid)
    assert bios(ironic, uuid)["ProcTurboMode"] == "Disabled"
    assert emulator_bios(vm["name"])[0]["ProcTurboMode"] == "Disabled"
    lab_ws.assert_no_drift()

    with timed("destroy"):
        lab_ws.destroy(timeout=1500)
