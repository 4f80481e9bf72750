"""`make lab-demo` as a user runs it (scripts/lab-demo.sh): quickstart inventories every lab VM
but the first with the real agent, provision-image deploys the test OS to the first; then the
same script's `plan` finds nothing to do and its `destroy` removes both. Asserted from Ironic
(nodes, inventory, states), libvirt and the first VM's console and disk."""

import os
import subprocess
import time
from pathlib import Path

from hostkit import node_name
from labkit import domain, read_disk, virsh

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "scripts" / "lab-demo.sh"


def run_demo(lab_dir: Path, provider_bin: str, *args: str, timeout: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAB_DIR": str(lab_dir), "METAL3_PROVIDER_BIN": provider_bin}
    return subprocess.run([str(DEMO), *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_lab_demo_applies_replans_and_destroys(lab, all_vms, ironic, provider_bin, timed, tmp_path):
    lab_dir = Path(os.environ.get("LAB_DIR", ROOT / ".work" / "lab"))
    first, rest = all_vms[0], all_vms[1:]
    console = Path(first["console_log"])
    start = console.stat().st_size if console.exists() else 0
    try:
        with timed("lab-demo apply (quickstart inventory, provision-image deploy)"):
            out = run_demo(lab_dir, provider_bin, timeout=3600)
        assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]

        # Quickstart: each other VM enrolled, inspected by the agent, cleaned: `available`, with
        # the inventory the domain defines, printed by the demo.
        for vm in rest:
            node = ironic.node(node_name("lab-quickstart", f"redfish-{vm['name']}"))
            assert node["provision_state"] == "available", (node["provision_state"], node["last_error"])
            inv = ironic.get(f"/v1/nodes/{node['uuid']}/inventory")["inventory"]
            dom = domain(vm["name"])
            assert inv["cpu"]["count"] == dom["vcpus"]
            assert sorted(i["mac_address"].lower() for i in inv["interfaces"]) == dom["macs"]
            assert vm["name"] in out.stdout  # the inventory table names the host
        # Provision-image: the first VM runs the test OS from its disk.
        node = ironic.node(node_name("lab-provision-image", first["name"]))
        assert node["provision_state"] == "active", (node["provision_state"], node["last_error"])
        assert node["instance_info"]["image_source"] == lab["images"]["test_os"]["url"]
        marker = lab["images"]["test_os"]["console_marker"]
        deadline = time.monotonic() + 300
        while marker not in console.read_bytes()[start:].decode(errors="replace"):
            assert time.monotonic() < deadline, "no test OS marker on the first VM's console"
            time.sleep(2)
        # The phase table, timed from Ironic's states while each apply ran.
        assert out.stdout.count("Ironic phases while") == 2, out.stdout[-3000:]
        assert "inspect (s)" in out.stdout and "deploy (s)" in out.stdout, out.stdout[-3000:]

        with timed("lab-demo plan (nothing to do)"):
            plan = run_demo(lab_dir, provider_bin, "plan", timeout=600)
        assert plan.returncode == 0, plan.stdout[-4000:] + plan.stderr[-4000:]
    finally:
        with timed("lab-demo destroy"):
            gone = run_demo(lab_dir, provider_bin, "destroy", timeout=3600)
    assert gone.returncode == 0, gone.stdout[-4000:] + gone.stderr[-4000:]
    names = {n["name"] for n in ironic.get("/v1/nodes")["nodes"]}
    assert not any(n.startswith(("lab-quickstart~", "lab-provision-image~")) for n in names), names
    for vm in all_vms:
        assert virsh("domstate", vm["name"]).strip() == "shut off"
    # Deprovisioning cleaned the first VM's disk (metadata): no partition table.
    mbr = read_disk(first["disks"][0]["path"], tmp_path / "disk0.raw", 512)
    assert mbr[510:512] != b"\x55\xaa", "the first VM's disk still has a partition table"
