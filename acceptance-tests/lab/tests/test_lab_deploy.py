"""Deploy, redeploy and deprovision in real Terraform, with metadata cleaning; asserted from the
VM (its serial console, its disks read offline) and from Ironic (node fields, history).

1. Both disks are seeded offline with a partition table and an ext4 filesystem. `apply` enrolls,
   inspects, cleans and deploys the lab's test OS (qcow2, sha256 value) to the disk chosen by
   `root_device_hints` (the first, by serial: SeaBIOS boots only the first disk). The VM boots it
   (its marker and image id on the serial console), the first disk's first bytes are the image,
   and the second disk's seed is gone: cleaning ran before the deployment (Ironic's history: an
   automated cleaning that succeeded, then the deployment; its events list no step names, as the
   agent's steps are not known when the flow starts, so the disk is the proof of what it erased).
2. Another image (the test OS built with another image id), after the lab's fast-track timeout
   (300 s after the agent's last heartbeat: Ironic 39 would send the rebuild to the deploy's
   agent, gone since the VM booted the OS, and fail): the plan says the host is REDEPLOYED; apply
   rebuilds it (the agent boots again); the disk holds the new image's bytes
   and the console shows the new image id.
3. `image` removed: the plan says the host is DEPROVISIONED and CLEANED; apply undeploys and
   cleans (the agent boots again): Ironic `available`, a second successful cleaning in its
   history after the deployments, and the first disk has no partition table left.
4. destroy deletes the available node and powers the VM off."""

import hashlib
import os

from hostkit import flat, node_name
from labkit import (console_size, flows, history, partitions, probe, raw_copy, read_disk, seed_disks,
                    seed_state, virsh, vm_host, wait_console, wait_fast_track_expired)


def image_arg(img: dict) -> dict:
    return {"url": img["url"], "checksum": img["checksum"], "checksum_type": "sha256", "disk_format": "qcow2"}


def assert_booted(vm: dict, start: int, img: dict) -> None:
    """The test OS `img` booted after console offset `start`: its marker with its image id."""
    wait_console(vm["console_log"], start, f"{img['console_marker']} image={img['image_id']}", 300)


def succeeded(events: list) -> list:
    """The step flows that completed, in order (an aborted attempt Ironic retried is left out:
    with fast track from inspection Ironic 39 records one when the agent's URL is not known yet)."""
    return [kind for kind, ok in flows(events) if ok]


def assert_disk_holds(path: str, img: dict, tmp_path) -> None:
    head = read_disk(path, tmp_path / "disk.raw", os.path.getsize(img["raw_path"]))
    assert hashlib.sha256(head).hexdigest() == img["raw_sha256"], f"{path} does not hold image {img['image_id']}"


def test_deploy_redeploy_deprovision(lab_ws, lab, vm, ironic, timed, tmp_path):
    img, img_b = lab["images"]["test_os"], lab["images"]["test_os_b"]
    assert img["raw_sha256"] != img_b["raw_sha256"] and img["image_id"] != img_b["image_id"]
    # The agent's default root device is the smallest disk of 4 GiB or more (the second), but
    # SeaBIOS boots the first: the hint picks the first by its serial.
    root, other = vm["disks"]
    with timed("seed the disks (offline)"):
        seed_disks(vm, tmp_path)

    def configure(image: dict | None):
        lab_ws.configure(vm_host(lab, vm, "deploy", root_device_hints={"serial_number": root["serial"]},
                                 image=image))

    # 1. Enroll, inspect, clean, deploy.
    configure(image_arg(img))
    start = console_size(vm)
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
    with timed("test OS marker on the console"):
        assert_booted(vm, start, img)
    assert_disk_holds(root["path"], img, tmp_path)
    # Cleaning ran before the deployment: the other disk's seed is gone, and Ironic says so.
    raw = raw_copy(other["path"], tmp_path / "other.raw")
    assert seed_state(raw) == "gone", f"{other['path']} after cleaning: the seed is {seed_state(raw)}"
    raw.unlink()
    events = history(ironic, node["uuid"])
    assert succeeded(events) == ["automated_cleaning_end", "deployment_end"], events

    with timed("plan (no drift)"):
        lab_ws.assert_no_drift()

    # 2. Another image: a rebuild, once Ironic no longer takes the deploy's agent for running
    # (see wait_fast_track_expired: a rebuild sooner fails against the agent that is gone).
    with timed("wait for fast track to expire"):
        wait_fast_track_expired(ironic, node["uuid"])
    configure(image_arg(img_b))
    plan = lab_ws.saved_plan()
    assert [c["change"]["actions"] for c in plan["resource_changes"]] == [["update"]], plan["resource_changes"]
    said = " ".join(plan["_stdout"].split())
    assert f"the host is REDEPLOYED with {img_b['url']} (root disk overwritten)" in said, said
    start = console_size(vm)
    with timed("apply (redeploy: agent boot, write, reboot)"):
        lab_ws.apply("tfplan", timeout=2400)
    host = lab_ws.outputs()["host"]
    assert host["provisioning_state"] == "provisioned", host
    assert host["provisioned_image"]["url"] == img_b["url"], host["provisioned_image"]
    node = ironic.node(node["uuid"])
    assert node["provision_state"] == "active", (node["provision_state"], node["last_error"])
    assert node["instance_info"]["image_source"] == img_b["url"]
    with timed("new image's marker on the console"):
        assert_booted(vm, start, img_b)
    assert_disk_holds(root["path"], img_b, tmp_path)
    # A rebuild deploys again without cleaning.
    assert succeeded(history(ironic, node["uuid"]))[2:] == ["deployment_end"], history(ironic, node["uuid"])

    # 3. No image: deprovision and clean.
    configure(None)
    plan = lab_ws.saved_plan()
    said = " ".join(plan["_stdout"].split())
    assert "image removed: the host is DEPROVISIONED" in said and "CLEANED" in said, said
    with timed("apply (deprovision: agent boot, metadata cleaning)"):
        lab_ws.apply("tfplan", timeout=2400)
    host = lab_ws.outputs()["host"]
    assert host["provisioning_state"] == "available", host
    assert host["provisioned_image"] is None, host["provisioned_image"]
    node = ironic.node(node["uuid"])
    assert node["provision_state"] == "available", (node["provision_state"], node["last_error"])
    assert not node["instance_info"].get("image_source"), node["instance_info"]
    events = history(ironic, node["uuid"])
    assert succeeded(events)[3:] == ["automated_cleaning_end"], events
    raw = raw_copy(root["path"], tmp_path / "root.raw")
    assert probe(raw).get("PTTYPE") is None and partitions(raw) == [], \
        f"{root['path']} still has a partition table after cleaning"
    raw.unlink()

    with timed("destroy (available: power off, delete)"):
        proc = lab_ws.destroy(timeout=1500)
    assert "Destroy complete" in flat(proc)
    assert ironic.request("GET", f"/v1/nodes/{node['uuid']}", expect=(404,)).status_code == 404
    assert virsh("domstate", vm["name"]).strip() == "shut off"
    assert lab_ws.resources() == {}
