"""Deploy in real Terraform: the lab's test OS (qcow2, sha256) written by the real agent to the
disk chosen by `root_device_hints` (its serial), then booted by the VM's BIOS; asserted from the
VM's serial console and its disk read offline. Destroy deprovisions (metadata cleaning: the agent
boots again) and the disk's partition table is gone."""

import hashlib
import os
import time
from pathlib import Path

from hostkit import node_name
from labkit import read_disk, virsh, vm_host


def console_since(path: Path, offset: int) -> str:
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


def test_deploy_the_test_os_then_destroy(lab_ws, lab, vm, ironic, timed, tmp_path):
    img = lab["images"]["test_os"]
    # The agent's default root device is the smallest disk of 4 GiB or more (the second), but
    # SeaBIOS boots the first: the hint picks the first by its serial.
    root = vm["disks"][0]
    console = Path(vm["console_log"])
    start = console.stat().st_size if console.exists() else 0
    lab_ws.configure(vm_host(
        lab, vm, "deploy",
        root_device_hints={"serial_number": root["serial"]},
        image={"url": img["url"], "checksum": img["checksum"], "checksum_type": "sha256",
               "disk_format": "qcow2"}))

    with timed("apply (enroll, inspect, clean, deploy)"):
        lab_ws.apply(timeout=2400)
    host = lab_ws.outputs()["host"]
    assert host["provisioning_state"] == "provisioned", host
    node = ironic.node(node_name(lab_ws.namespace, "deploy"))
    assert node["uuid"] == host["id"]
    assert node["provision_state"] == "active", (node["provision_state"], node["last_error"])
    assert node["instance_info"]["image_source"] == img["url"]
    # Hints go to Ironic in BMO's form: an operator for exact matches.
    assert node["instance_info"]["root_device"] == {"serial": f"s== {root['serial']}"}
    assert node["power_state"] == "power on"
    assert virsh("domstate", vm["name"]).strip() == "running"

    # The VM booted the test OS from its first disk: the marker on its serial console.
    with timed("test OS marker on the console"):
        deadline = time.monotonic() + 300
        while img["console_marker"] not in console_since(console, start):
            assert time.monotonic() < deadline, ("no test OS marker on the console:\n"
                                                 + console_since(console, start)[-2000:])
            time.sleep(2)
    assert f"image={img['image_id']}" in console_since(console, start)
    # The disk holds the image: its first bytes are the image's raw bytes.
    size = os.path.getsize(img["raw_path"])
    head = read_disk(root["path"], tmp_path / "disk0.raw", size)
    assert hashlib.sha256(head).hexdigest() == img["raw_sha256"], f"{root['path']} is not the test OS"

    with timed("plan (no drift)"):
        lab_ws.assert_no_drift()

    with timed("destroy (deprovision, metadata cleaning, delete)"):
        lab_ws.destroy(timeout=2400)
    assert ironic.request("GET", f"/v1/nodes/{node['uuid']}", expect=(404,)).status_code == 404
    assert virsh("domstate", vm["name"]).strip() == "shut off"
    mbr = read_disk(root["path"], tmp_path / "disk0.raw", 512)
    assert mbr[510:512] != b"\x55\xaa", f"{root['path']} still has a partition table after cleaning"
    assert lab_ws.resources() == {}
