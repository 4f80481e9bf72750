"""Adoption in real Terraform: `m3lab-vm-1` already runs the test OS (written onto its first disk
offline and started through libvirt); a host with `externally_provisioned = true` adopts it
(Ironic `adopt`), and neither that nor destroying the host (`power_off_on_destroy = false`)
reboots the machine or writes to its disks: the console shows one boot id throughout and the
disk files keep their checksums."""

import hashlib
import os

from hostkit import node_name
from ironic_log import history_events
from labkit import (Console, domstate, file_sha256, lab_ironic_log, read_disk, virsh, vm_host,
                    wait_domstate, write_raw_image)


def test_adopt_a_running_machine_without_touching_it(lab_ws, lab, vm1, ironic, timed, tmp_path):
    img = lab["images"]["test_os"]
    disks = [d["path"] for d in vm1["disks"]]
    console = Console(vm1["console_log"])
    start = console.mark()
    try:
        with timed("write the test OS, boot it through libvirt"):
            write_raw_image(img["raw_path"], disks[0])
            virsh("start", vm1["name"])
            boot = console.wait_boots(img["console_marker"], start, 1, timeout=300)[0]
        assert f"image={img['image_id']}" in console.text(start)
        head = read_disk(disks[0], tmp_path / "d0.raw", os.path.getsize(img["raw_path"]))
        assert hashlib.sha256(head).hexdigest() == img["raw_sha256"], "the test OS is not on the disk"
        before = {path: file_sha256(path) for path in disks}

        lab_ws.configure(vm_host(
            lab, vm1, "adopt", externally_provisioned=True, inspection_mode="disabled",
            power_off_on_destroy=False,
            image={"url": img["url"], "checksum": img["checksum"], "checksum_type": "sha256",
                   "disk_format": "qcow2"}))
        log = lab_ironic_log(lab)
        mark = log.mark()
        with timed("apply (enroll, adopt)"):
            lab_ws.apply(timeout=900)
        host = lab_ws.outputs()["host"]
        assert host["provisioning_state"] == "externally provisioned", host
        node = ironic.node(node_name(lab_ws.namespace, "adopt"))
        assert node["provision_state"] == "active", (node["provision_state"], node["last_error"])
        assert node["last_error"] is None
        assert node["power_state"] == "power on"
        uuid = node["uuid"]
        # Ironic adopted it: through `adopting`, never deploying, cleaning or inspecting, and it
        # changed no power state.
        moves = [m.state for m in log.moves_since(mark, {uuid})]
        assert "adopting" in moves and moves[-1] == "active", moves
        assert not set(moves) & {"deploying", "wait call-back", "cleaning", "clean wait", "inspecting"}, moves
        assert log.disk_events_since(mark, {uuid}) == {"cleaned": False, "deployed": False}
        power = [line for line in log.lines_since(mark) if uuid in line and "power state to" in line]
        assert power == [], power
        history = history_events(ironic, uuid)
        assert not [e for e in history if "deploy" in e.lower() or "clean" in e.lower()], history

        # The machine never noticed: the same boot, the same disks.
        assert domstate(vm1["name"]) == "running"
        assert console.boots(img["console_marker"], start) == [boot]
        assert {path: file_sha256(path) for path in disks} == before

        with timed("plan (no drift)"):
            lab_ws.assert_no_drift()

        with timed("destroy (node deleted, machine left running)"):
            lab_ws.destroy(timeout=900)
        assert ironic.request("GET", f"/v1/nodes/{uuid}", expect=(404,)).status_code == 404
        assert log.disk_events_since(mark, {uuid}) == {"cleaned": False, "deployed": False}
        assert domstate(vm1["name"]) == "running"
        assert console.boots(img["console_marker"], start) == [boot]
        assert {path: file_sha256(path) for path in disks} == before
    finally:
        if domstate(vm1["name"]) != "shut off":
            virsh("destroy", vm1["name"])
            wait_domstate(vm1["name"], "shut off", 60)
