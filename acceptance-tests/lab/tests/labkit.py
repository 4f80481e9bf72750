"""What the lab tests read from libvirt and from the VMs' disks."""

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from hostkit import resource  # the acceptance tests' HCL writer (conftest puts it on the path)

LIBVIRT_URI = "qemu:///system"


def vm_host(lab: dict, vm: dict, name: str, **extra) -> str:
    """A `metal3_baremetal_host.vm` for lab VM `vm` behind its Redfish BMC (the lab's domains
    boot with SeaBIOS: legacy boot), with `extra` arguments, and an output `host` of it."""
    args = {
        "name": name,
        "boot_mac_address": vm["boot_mac"],
        "bmc": {"address": vm["bmc_address"], "username": lab["redfish_username"],
                "password": lab["redfish_password"]},
        "boot_mode": "legacy",
        **extra,
    }
    return (resource("vm", args)
            + 'output "host" {\n  value = metal3_baremetal_host.vm\n  sensitive = true\n}\n')


def virsh(*args: str) -> str:
    return subprocess.run(["virsh", "-c", LIBVIRT_URI, *args], check=True, capture_output=True,
                          text=True).stdout


def domain(name: str) -> dict:
    """What libvirt says the domain is, from its XML (not from lab.json): the shape of a lab.json
    VM (`vcpus`, `memory_mib`, `macs`, `disks[]` with `path`, `serial`, `size_bytes`)."""
    root = ET.fromstring(virsh("dumpxml", "--inactive", name))
    mem = root.find("memory")
    mem_kib = int(mem.text) * {"KiB": 1, "MiB": 1024, "GiB": 1024 * 1024}[mem.get("unit", "KiB")]
    disks = []
    for disk in root.findall("devices/disk[@device='disk']"):
        path = disk.find("source").get("file")
        info = json.loads(subprocess.run(["qemu-img", "info", "-U", "--output=json", path], check=True,
                                         capture_output=True, text=True).stdout)
        disks.append({"path": path, "serial": disk.findtext("serial"), "size_bytes": info["virtual-size"]})
    return {"name": name, "vcpus": int(root.findtext("vcpu")), "memory_mib": mem_kib // 1024,
            "macs": sorted(i.find("mac").get("address").lower() for i in root.findall("devices/interface")),
            "disks": disks}


def read_disk(path: str, dest: Path, size: int) -> bytes:
    """The first `size` bytes of a VM's disk, read offline (-U: while the VM may run)."""
    subprocess.run(["qemu-img", "convert", "-U", "-O", "raw", path, str(dest)], check=True)
    try:
        with open(dest, "rb") as f:
            return f.read(size)
    finally:
        dest.unlink()
