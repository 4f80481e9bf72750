"""A live ISO in real Terraform (`image.disk_format = "live-iso"`, Ironic's `ramdisk` deploy): the
lab's ISO booted from virtual media on `m3lab-vm-1`, seen on its serial console, its disks left
as they were; then reboots and power changes by the actions, seen in the guest (a new boot id on
the console, libvirt's domain state), and power drift made through libvirt, planned and undone.

The ISO's init prints its marker with the kernel's boot id once per boot, and powers off when the
ACPI power button is pressed (which is what soft power off and soft reboot press)."""

import time

from hostkit import node_name
from labkit import (Console, action, domstate, file_sha256, lab_ironic_log, seed_disk, seeded,
                    virsh, vm_host, wait_domstate)

HOST_ID = "metal3_baremetal_host.vm.id"


def live_host(lab: dict, vm: dict, name: str) -> str:
    iso = lab["images"]["live_iso"]
    return vm_host(lab, vm, name, image={"url": iso["url"], "disk_format": "live-iso"},
                   inspection_mode="disabled", automated_cleaning_mode="disabled")


def deploy(lab_ws, lab, vm, ironic, timed, name: str, extra: str = "") -> tuple:
    """Applies a live-ISO host on `vm`; returns its Ironic node and the first boot's id."""
    iso = lab["images"]["live_iso"]
    console = Console(vm["console_log"])
    start = console.mark()
    lab_ws.configure(live_host(lab, vm, name) + extra)
    with timed("apply (enroll, ramdisk deploy of the ISO)"):
        lab_ws.apply(timeout=1500)
    node = ironic.node(node_name(lab_ws.namespace, name))
    assert node["provision_state"] == "active", (node["provision_state"], node["last_error"])
    assert node["deploy_interface"] == "ramdisk", node["deploy_interface"]
    assert node["instance_info"].get("boot_iso") == iso["url"], node["instance_info"]
    assert domstate(vm["name"]) == "running"
    with timed("live ISO marker on the console"):
        boots = console.wait_boots(iso["console_marker"], start, 1, timeout=300)
    assert f"image={iso['image_id']}" in console.text(start)
    return node, boots[-1]


def test_live_iso_boots_from_virtual_media_and_leaves_the_disks(lab_ws, lab, vm1, ironic, timed):
    disks = [d["path"] for d in vm1["disks"]]
    for path in disks:
        seed_disk(path)
    before = {path: file_sha256(path) for path in disks}
    console = Console(vm1["console_log"])
    start = console.mark()

    node, boot = deploy(lab_ws, lab, vm1, ironic, timed, "live")
    host = lab_ws.outputs()["host"]
    assert host["provisioning_state"] == "provisioned", host
    assert host["id"] == node["uuid"]
    # Booted from the CD: the ISO's marker, once (one boot), and not the test OS's (from a disk).
    assert console.boots(lab["images"]["live_iso"]["console_marker"], start) == [boot]
    assert lab["images"]["test_os"]["console_marker"] not in console.text(start)
    # Nothing wrote to the disks: no cleaning, no image, no inspection.
    for path in disks:
        assert seeded(path), f"{path} lost its seeded bytes"
        assert file_sha256(path) == before[path], f"{path} changed"
    # Ironic passes through `cleaning` with cleaning disabled; it runs no steps ("Executing
    # automated cleaning" is not logged) and boots no agent (no `clean wait`).
    log = lab_ironic_log(lab)
    moves = {m.state for m in log.moves_since(0, {node["uuid"]})}
    assert not moves & {"clean wait", "inspecting", "inspect wait"}, moves
    assert not log.disk_events_since(0, {node["uuid"]})["cleaned"]

    with timed("plan (no drift)"):
        lab_ws.assert_no_drift()
    with timed("destroy"):
        lab_ws.destroy(timeout=900)
    assert ironic.request("GET", f"/v1/nodes/{node['uuid']}", expect=(404,)).status_code == 404
    assert domstate(vm1["name"]) == "shut off"
    for path in disks:
        assert seeded(path) and file_sha256(path) == before[path], f"{path} changed by destroy"


def test_reboot_and_power_actions_are_seen_in_the_guest(lab_ws, lab, vm1, ironic, timed):
    iso = lab["images"]["live_iso"]
    marker = iso["console_marker"]
    actions = "".join((
        action("metal3_reboot", "hard", host_id=HOST_ID, mode='"hard"'),
        action("metal3_reboot", "soft", host_id=HOST_ID, mode='"soft"', timeout='"3m"'),
        action("metal3_power", "off", host_id=HOST_ID, power='"off"'),
        action("metal3_power", "soft_off", host_id=HOST_ID, power='"off"', soft="true", timeout='"3m"'),
        action("metal3_power", "on", host_id=HOST_ID, power='"on"'),
    ))
    console = Console(vm1["console_log"])
    node, first = deploy(lab_ws, lab, vm1, ironic, timed, "power", actions)

    # Hard reboot: the guest boots again (a new boot id), the ISO still the boot device.
    mark = console.mark()
    with timed("metal3_reboot hard, guest booted again"):
        lab_ws.apply("-invoke=action.metal3_reboot.hard")
        second = console.wait_boots(marker, mark, 1)[0]
    assert second != first

    # Hard power off: libvirt's domain is off, and no boot follows.
    mark = console.mark()
    with timed("metal3_power off"):
        lab_ws.apply("-invoke=action.metal3_power.off")
    assert domstate(vm1["name"]) == "shut off"
    assert ironic.node(node["uuid"])["power_state"] == "power off"
    with timed("metal3_power on, guest booted"):
        lab_ws.apply("-invoke=action.metal3_power.on")
        third = console.wait_boots(marker, mark, 1)[0]
    assert domstate(vm1["name"]) == "running"
    assert third not in (first, second)
    assert ironic.node(node["uuid"])["power_state"] == "power on"

    # Soft reboot: ACPI power button, the guest's init powers off, libvirt starts it again.
    assert iso["power_button"] and "button=/dev/input/event" in console.text(mark), \
        "the ISO's init found no power button: soft modes cannot work"
    mark = console.mark()
    with timed("metal3_reboot soft, guest booted again"):
        lab_ws.apply("-invoke=action.metal3_reboot.soft", timeout=600)
        fourth = console.wait_boots(marker, mark, 1)[0]
    assert fourth != third
    assert f"{iso['power_button_marker']} boot={third}" in console.text(mark), \
        "the reboot did not go through the guest's power button"
    assert domstate(vm1["name"]) == "running"

    # Soft power off: the guest sees the button and powers itself off.
    mark = console.mark()
    with timed("metal3_power off soft"):
        lab_ws.apply("-invoke=action.metal3_power.soft_off", timeout=600)
    wait_domstate(vm1["name"], "shut off", 60)
    assert f"{iso['power_button_marker']} boot={fourth}" in console.text(mark)
    assert console.boots(marker, mark) == []
    assert ironic.node(node["uuid"])["power_state"] == "power off"

    # `online = true` still: the plan puts the power back and apply boots the ISO again.
    proc = lab_ws.plan("-detailed-exitcode")
    assert proc.returncode == 2 and "online" in proc.stdout and "false -> true" in proc.stdout, proc.stdout
    mark = console.mark()
    with timed("apply (power on again)"):
        lab_ws.apply(timeout=600)
        console.wait_boots(marker, mark, 1)
    assert domstate(vm1["name"]) == "running"
    lab_ws.assert_no_drift()


def test_power_drift_made_in_libvirt_is_planned_and_undone(lab_ws, lab, vm1, ironic, timed):
    marker = lab["images"]["live_iso"]["console_marker"]
    console = Console(vm1["console_log"])
    node, first = deploy(lab_ws, lab, vm1, ironic, timed, "drift")

    mark = console.mark()
    virsh("destroy", vm1["name"])
    # Ironic learns the power state from the BMC in its periodic power sync; the lab's Ironic
    # records it (force_power_state_during_sync = false, as in Metal3) instead of undoing it.
    with timed("Ironic's power sync sees the VM off"):
        deadline = time.monotonic() + 200
        while ironic.node(node["uuid"])["power_state"] != "power off":
            assert domstate(vm1["name"]) == "shut off", (
                "something powered the VM on again: with [conductor] force_power_state_during_sync "
                "= true (Ironic's default) Ironic's power sync does; the lab sets it false")
            assert time.monotonic() < deadline, "Ironic never recorded the VM as powered off"
            time.sleep(3)
    assert domstate(vm1["name"]) == "shut off"
    with timed("plan (drift: power on)"):
        proc = lab_ws.plan("-detailed-exitcode")
    assert proc.returncode == 2 and "online" in proc.stdout and "false -> true" in proc.stdout, proc.stdout
    with timed("apply (power on, ISO booted)"):
        lab_ws.apply(timeout=600)
        second = console.wait_boots(marker, mark, 1)[0]
    assert second != first
    assert domstate(vm1["name"]) == "running"
    assert ironic.node(node["uuid"])["power_state"] == "power on"
    lab_ws.assert_no_drift()
