"""What the lab tests read from libvirt and from the VMs' disks."""

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

LIBVIRT_URI = "qemu:///system"


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
