"""One lab VM through Ironic's REST API, asserting from the VM's definition and its console:

    python -m m3lab.e2e [--dir DIR] [--vm N] [--deploy]     (make lab-e2e; LAB_E2E_DEPLOY=1)

enroll -> manage -> inspect: the inventory the agent reported equals the libvirt domain (CPU
count, RAM, disk sizes and serials, both MACs). With --deploy: provide (metadata cleaning) ->
deploy the test OS image (qcow2, sha256) -> active, and the image's marker on the serial console.
LAB_E2E_UNDEPLOY=1 then undeploys (the agent boots again to clean) and checks the disk's partition
table is gone. Timings go to DIR/e2e.json, the inventory to DIR/inventory-<vm>.json. The node is
left in Ironic; a second run deletes it first and starts again."""

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import requests

from m3lab.lab import ROOT, LIBVIRT_URI, sh


class Failure(AssertionError):
    pass


class Ironic:
    def __init__(self, info: dict):
        self.url = info["ironic_url"]
        self.s = requests.Session()
        self.s.auth = (info["ironic_username"], info["ironic_password"])
        self.s.headers["X-OpenStack-Ironic-API-Version"] = "latest"

    def req(self, method: str, path: str, **kw):
        r = self.s.request(method, f"{self.url}{path}", timeout=30, **kw)
        if r.status_code >= 400:
            raise Failure(f"{method} {path}: {r.status_code} {r.text[:500]}")
        return r.json() if r.content else None

    def node(self, ident: str) -> dict:
        return self.req("GET", f"/v1/nodes/{ident}")

    def provision(self, ident: str, target: str, **extra) -> None:
        self.req("PUT", f"/v1/nodes/{ident}/states/provision", json={"target": target, **extra})

    def wait_state(self, ident: str, want: str, timeout: float, console: Path | None = None) -> dict:
        deadline = time.monotonic() + timeout
        last = None
        while True:
            n = self.node(ident)
            state = n["provision_state"]
            if state != last:
                print(f"  {time.strftime('%H:%M:%S')} {state}"
                      f"{' (target ' + str(n['target_provision_state']) + ')' if n['target_provision_state'] else ''}",
                      flush=True)
                last = state
            if state == want and not n["target_provision_state"]:
                return n
            if state.endswith("failed") or (n.get("last_error") and state in ("manageable", "enroll")):
                raise Failure(f"node went {state} waiting for {want}: {n.get('last_error')}"
                              f"{console_tail(console)}")
            if time.monotonic() > deadline:
                raise Failure(f"node still {state} after {timeout:.0f}s waiting for {want}{console_tail(console)}")
            time.sleep(3)


def console_tail(console: Path | None) -> str:
    if not console or not console.exists():
        return ""
    lines = console.read_text(errors="replace").splitlines()[-15:]
    return f"\n  console {console} (last lines):\n    " + "\n    ".join(lines)


def check_inventory(inv: dict, vm: dict) -> list:
    """Differences between the agent's inventory and the domain's definition."""
    problems = []
    cpus = inv["cpu"].get("count")
    if cpus != vm["vcpus"]:
        problems.append(f"cpu count {cpus}, domain has {vm['vcpus']}")
    mem = inv["memory"].get("physical_mb")
    if mem != vm["memory_mib"]:
        problems.append(f"memory physical_mb {mem}, domain has {vm['memory_mib']} MiB")
    got_disks = sorted((d.get("serial"), d["size"]) for d in inv["disks"])
    want_disks = sorted((d["serial"], d["size_bytes"]) for d in vm["disks"])
    if got_disks != want_disks:
        problems.append(f"disks (serial, size) {got_disks}, domain has {want_disks}")
    got_macs = sorted(i["mac_address"].lower() for i in inv["interfaces"] if i.get("mac_address")
                      and i.get("name") != "lo")
    if got_macs != sorted(vm["macs"]):
        problems.append(f"MACs {got_macs}, domain has {sorted(vm['macs'])}")
    return problems


def domain_facts(name: str) -> dict:
    """What libvirt says the domain is (not what lab.json says)."""
    info = sh("virsh", "-c", LIBVIRT_URI, "dominfo", name).stdout
    facts = {}
    for line in info.splitlines():
        k, _, v = line.partition(":")
        facts[k.strip()] = v.strip()
    macs = [l.split()[-1] for l in sh("virsh", "-q", "-c", LIBVIRT_URI, "domiflist", name).stdout.splitlines() if l.strip()]
    return {"vcpus": int(facts["CPU(s)"]), "memory_mib": int(facts["Max memory"].split()[0]) // 1024,
            "state": facts["State"], "macs": macs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", default=os.environ.get("LAB_DIR", str(ROOT / ".work" / "lab")))
    parser.add_argument("--vm", type=int, default=0)
    parser.add_argument("--deploy", action="store_true", default=os.environ.get("LAB_E2E_DEPLOY") == "1")
    args = parser.parse_args()
    lab_json = Path(args.dir) / "lab.json"
    if not lab_json.exists():
        print(f"m3lab.e2e: no {lab_json}: run make lab-up first", file=sys.stderr)
        return 2
    info = json.loads(lab_json.read_text())
    vm = info["vms"][args.vm]
    console = Path(vm["console_log"])
    ironic = Ironic(info)
    timings = {}
    results = {"vm": vm["name"], "accelerator": info["accelerator"], "timings_seconds": timings}

    def step(name, fn):
        t = time.monotonic()
        print(f"{name} ...", flush=True)
        out = fn()
        timings[name] = round(time.monotonic() - t, 1)
        print(f"{name}: {timings[name]}s", flush=True)
        return out

    dom = domain_facts(vm["name"])
    for key in ("vcpus", "memory_mib", "macs"):
        if sorted(dom[key]) != sorted(vm[key]) if isinstance(vm[key], list) else dom[key] != vm[key]:
            raise Failure(f"domain {vm['name']} {key} is {dom[key]}, lab.json says {vm[key]}")
    name = f"lab-{vm['name']}"
    existing = [n for n in ironic.req("GET", "/v1/nodes")["nodes"] if n["name"] == name]
    for n in existing:
        print(f"deleting an earlier node {name}", flush=True)
        ironic.req("PATCH", f"/v1/nodes/{n['uuid']}", json=[{"op": "replace", "path": "/maintenance", "value": True}])
        ironic.req("DELETE", f"/v1/nodes/{n['uuid']}")
    console.write_text("")  # each run reads its own boots

    def enroll():
        node = ironic.req("POST", "/v1/nodes", json={
            "name": name, "driver": "redfish",
            "boot_interface": "redfish-virtual-media", "deploy_interface": "direct",
            "inspect_interface": "agent", "raid_interface": "agent",
            "driver_info": {
                "redfish_address": vm["redfish_address"], "redfish_system_id": vm["redfish_system_id"],
                "redfish_username": info["redfish_username"], "redfish_password": info["redfish_password"],
                "deploy_kernel": info["deploy_kernel_url"], "deploy_ramdisk": info["deploy_ramdisk_url"],
            },
        })
        # The agent finds its node by MAC; virtual media passes no BOOTIF.
        ironic.req("POST", "/v1/ports", json={"node_uuid": node["uuid"], "address": vm["boot_mac"],
                                              "pxe_enabled": True})
        ironic.provision(node["uuid"], "manage")
        ironic.wait_state(node["uuid"], "manageable", 120)
        return node["uuid"]

    uuid = step("enroll+manage", enroll)
    results["node"] = uuid

    def inspect():
        ironic.provision(uuid, "inspect")
        return ironic.wait_state(uuid, "manageable", 1200, console)

    step("inspect", inspect)
    inv = ironic.req("GET", f"/v1/nodes/{uuid}/inventory")["inventory"]
    (Path(args.dir) / f"inventory-{vm['name']}.json").write_text(json.dumps(inv, indent=2))
    problems = check_inventory(inv, vm)
    if problems:
        raise Failure("inventory differs from the domain:\n  " + "\n  ".join(problems))
    print(f"inventory matches the domain: {vm['vcpus']} CPUs, {vm['memory_mib']} MiB, "
          f"disks {[d['size_bytes'] for d in vm['disks']]}, MACs {vm['macs']}", flush=True)
    results["inventory"] = "matches"

    if args.deploy:
        def provide():
            ironic.provision(uuid, "provide")
            return ironic.wait_state(uuid, "available", 1200, console)

        step("provide (metadata cleaning)", provide)
        img = info["images"]["test_os"]
        # The agent's default root device is the smallest disk of 4 GiB or more (the second one
        # here), but SeaBIOS boots the first: ask for the first by its serial.
        root = vm["disks"][0]

        def deploy():
            ironic.req("PATCH", f"/v1/nodes/{uuid}", json=[
                {"op": "add", "path": "/properties/root_device", "value": {"serial": root["serial"]}},
                {"op": "add", "path": "/instance_info/image_source", "value": img["url"]},
                {"op": "add", "path": "/instance_info/image_os_hash_algo", "value": "sha256"},
                {"op": "add", "path": "/instance_info/image_os_hash_value", "value": img["checksum"]},
                {"op": "add", "path": "/instance_info/image_disk_format", "value": "qcow2"},
            ])
            ironic.provision(uuid, "active")
            return ironic.wait_state(uuid, "active", 1500, console)

        step("deploy", deploy)

        def marker():
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                if img["console_marker"] in console.read_text(errors="replace"):
                    return True
                time.sleep(2)
            raise Failure(f"no {img['console_marker']} on the console after 300s{console_tail(console)}")

        step("test OS on the console", marker)
        results["deployed"] = "marker seen on the console"
        # The disk itself: its first bytes are the image's (read while the VM runs: -U).
        raw = Path(args.dir) / "e2e-disk0.raw"
        sh("qemu-img", "convert", "-U", "-O", "raw", root["path"], raw)
        size = os.path.getsize(img_raw := info["images"]["test_os"]["raw_path"])
        with open(raw, "rb") as f:
            head = f.read(size)
        raw.unlink()
        if hashlib.sha256(head).hexdigest() != img["raw_sha256"]:
            raise Failure(f"the first {size} bytes of {root['path']} are not the image {img_raw}")
        print(f"{root['path']}: first {size} bytes equal the test OS image", flush=True)
        results["disk"] = "first bytes equal the image"

        def undeploy():
            ironic.provision(uuid, "deleted")
            return ironic.wait_state(uuid, "available", 1500, console)

        if os.environ.get("LAB_E2E_UNDEPLOY") == "1":
            step("undeploy + clean", undeploy)
            # metadata cleaning: the partition table (the MBR's 0x55AA signature) is gone
            raw = Path(args.dir) / "e2e-disk0.raw"
            sh("qemu-img", "convert", "-U", "-O", "raw", root["path"], raw)
            with open(raw, "rb") as f:
                mbr = f.read(512)
            raw.unlink()
            if mbr[510:512] == b"\x55\xaa":
                raise Failure(f"{root['path']} still has a partition table after cleaning")
            print(f"{root['path']}: no partition table after cleaning", flush=True)
            results["cleaned"] = "partition table gone"

    history = ironic.req("GET", f"/v1/nodes/{uuid}/history").get("history", [])
    results["history_errors"] = [h for h in history if h.get("severity") == "ERROR"]
    (Path(args.dir) / "e2e.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"m3lab.e2e: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
