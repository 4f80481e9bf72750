"""What the lab tests read from libvirt and from the VMs' disks."""

import hashlib
import json
import re
import subprocess
import time
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


# ---- live ISO, power, drift and adoption tests (test_lab_live_iso.py, test_lab_adopt.py) ------

BOOT_ID = re.compile(r"boot=([0-9a-f-]{36})")


class Console:
    """A VM's serial console log (appended to across boots), read from a mark on."""

    def __init__(self, path: str):
        self.path = Path(path)

    def mark(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def text(self, since: int = 0) -> str:
        if not self.path.exists():
            return ""
        with open(self.path, "rb") as f:
            f.seek(since)
            return f.read().decode(errors="replace")

    def boots(self, marker: str, since: int = 0) -> list:
        """Boot ids printed with `marker` since `since`, one per boot, in order."""
        out = []
        for line in self.text(since).splitlines():
            if marker in line:
                found = BOOT_ID.search(line)
                if found and found.group(1) not in out:
                    out.append(found.group(1))
        return out

    def wait_boots(self, marker: str, since: int, count: int = 1, timeout: float = 300) -> list:
        """Waits until `count` boots printed `marker` since `since`; returns their boot ids."""
        deadline = time.monotonic() + timeout
        while len(self.boots(marker, since)) < count:
            assert time.monotonic() < deadline, (
                f"{count} boot(s) with {marker} expected on {self.path} within {timeout:.0f}s, "
                f"saw {self.boots(marker, since)}:\n{self.text(since)[-2000:]}")
            time.sleep(2)
        return self.boots(marker, since)


def domstate(name: str) -> str:
    return virsh("domstate", name).strip()


def wait_domstate(name: str, wanted: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while domstate(name) != wanted:
        assert time.monotonic() < deadline, f"{name} is {domstate(name)!r}, not {wanted!r}, after {timeout:.0f}s"
        time.sleep(1)


def file_sha256(path: str) -> str:
    """The disk's qcow2 file as it is on the host (a guest write changes it)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Bytes written to both disks before a test that must not touch them: a pattern at the start
# (where a partition table or a deploy would land) and one further in.
SEED = ((0x5A, 0, 1 << 20), (0xC3, 1 << 30, 64 << 10))


def qemu_io(path: str, *commands: str, readonly: bool = False) -> str:
    """qemu-io's output for `commands`; a failed pattern check is output, any other error raises."""
    argv = ["qemu-io", "-f", "qcow2"] + (["-U", "-r"] if readonly else [])
    for command in commands:
        argv += ["-c", command]
    res = subprocess.run([*argv, path], capture_output=True, text=True)
    out = res.stdout + res.stderr
    if res.returncode != 0 and "Pattern verification failed" not in out:
        raise RuntimeError(f"qemu-io {path} failed ({res.returncode}): {out.strip()[-500:]}")
    return out


def seed_disk(path: str) -> None:
    """Writes SEED into a disk of a VM that is off (qemu-io takes the image's write lock)."""
    qemu_io(path, *(f"write -q -P {p:#x} {off} {n}" for p, off, n in SEED))


def seeded(path: str) -> bool:
    """Whether SEED is still on the disk (read with -U: the VM may run)."""
    out = qemu_io(path, *(f"read -q -P {p:#x} {off} {n}" for p, off, n in SEED), readonly=True)
    return "Pattern verification failed" not in out


def write_raw_image(raw: str, disk: str) -> None:
    """Writes a raw image over the start of a qcow2 disk of a VM that is off; the disk keeps its
    virtual size (-n: convert into the existing image)."""
    subprocess.run(["qemu-img", "convert", "-n", "-f", "raw", "-O", "qcow2", raw, disk], check=True)


def lab_ironic_log(lab: dict):
    """The lab Ironic's log read with the acceptance tests' IronicLog (provision moves, requests)."""
    from ironic_log import IronicLog
    log = IronicLog({"log_dir": lab["log_dir"]})
    log.path = Path(lab["log_dir"]) / "ironic.log"
    return log


def action(kind: str, label: str, **settings) -> str:
    """An `action` block; `settings` are HCL expressions (strings quoted by the caller)."""
    body = "\n".join(f"    {k} = {v}" for k, v in settings.items())
    return f'action "{kind}" "{label}" {{\n  config {{\n{body}\n  }}\n}}\n'


# ---- Disk seeds, offline disk reads, the config drive, Ironic's history (h-lab-b) ----------

SEED_MIB = 8
SEED_FS_OFFSET = 1024 * 1024  # the seed's one partition (and its ext4) starts at 1 MiB


def seed_disks(vm: dict, tmp: Path) -> dict:
    """Replaces each disk of `vm` (powered off) by a fresh qcow2 of the same virtual size whose
    first SEED_MIB MiB are a seed: an MBR partition table with one partition at 1 MiB holding an
    ext4 filesystem labelled `m3seed-<serial>`, for tests to see whether cleaning wiped it.
    Returns the seed's bytes by disk path."""
    assert virsh("domstate", vm["name"]).strip() == "shut off", "seed a VM's disks only while it is off"
    seeds = {}
    for disk in vm["disks"]:
        raw = tmp / f"seed-{disk['serial']}.raw"
        with open(raw, "wb") as f:
            f.truncate(SEED_MIB * 1024 * 1024)
        subprocess.run(["sfdisk", "-q", str(raw)], input=f"label: dos\nstart={SEED_FS_OFFSET // 512}, type=83\n",
                       text=True, check=True, capture_output=True)
        ext = tmp / f"seed-{disk['serial']}.ext4"
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", "-L", f"m3seed-{disk['serial']}", str(ext),
                        f"{(SEED_MIB * 1024 * 1024 - SEED_FS_OFFSET) // 1024}k"], check=True, capture_output=True)
        with open(raw, "r+b") as f:
            f.seek(SEED_FS_OFFSET)
            f.write(ext.read_bytes())
        ext.unlink()
        new = Path(disk["path"] + ".seeding")
        subprocess.run(["qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", str(raw), str(new)], check=True)
        subprocess.run(["qemu-img", "resize", "-q", "-f", "qcow2", str(new), str(disk["size_bytes"])], check=True)
        new.replace(disk["path"])
        seeds[disk["path"]] = raw.read_bytes()
        raw.unlink()
    return seeds


def raw_copy(path: str, dest: Path) -> Path:
    """The whole disk as a sparse raw file, read offline (-U: while the VM may run)."""
    subprocess.run(["qemu-img", "convert", "-U", "-O", "raw", path, str(dest)], check=True)
    return dest


def probe(raw: Path, offset: int = 0, size: int | None = None) -> dict:
    """What blkid finds at `offset` of a raw disk: `PTTYPE` for a partition table, `TYPE` and
    `LABEL` for a filesystem; {} for nothing."""
    argv = ["blkid", "-p", "-o", "export", "--offset", str(offset)]
    if size is not None:
        argv += ["--size", str(size)]
    res = subprocess.run([*argv, str(raw)], capture_output=True, text=True)
    if res.returncode == 2:  # nothing found
        return {}
    assert res.returncode == 0, res.stderr
    return dict(line.split("=", 1) for line in res.stdout.splitlines() if "=" in line)


def partitions(raw: Path) -> list:
    """The disk's partitions (`start`, `size` in sectors, `type`), [] when it has no partition
    table."""
    res = subprocess.run(["sfdisk", "-J", str(raw)], capture_output=True, text=True)
    if res.returncode != 0:
        assert "partition table" in res.stderr, res.stderr
        return []
    return json.loads(res.stdout)["partitiontable"].get("partitions", [])


def seed_state(raw: Path) -> str:
    """`intact`, `gone` (no partition table and no ext4 where the seed's was) or `partly` (what
    is left)."""
    table, fs = probe(raw, 0, SEED_FS_OFFSET).get("PTTYPE"), probe(raw, SEED_FS_OFFSET).get("TYPE")
    if table is None and fs is None:
        return "gone"
    if table == "dos" and fs == "ext4":
        return "intact"
    return f"partly (table {table}, filesystem {fs})"


def config_drive(raw: Path, tmp: Path, files: tuple) -> dict:
    """The config drive Ironic asked the agent to write on a whole-disk image's root disk: the
    partition holding an ISO9660 filesystem labelled `config-2`; returns `files` (ISO paths)
    read from it with isoinfo (Rock Ridge names)."""
    found = [p for p in partitions(raw)
             if probe(raw, p["start"] * 512, p["size"] * 512).get("LABEL") == "config-2"]
    assert len(found) == 1, f"{len(found)} config-2 partitions on {raw}: {partitions(raw)}"
    part = found[0]
    assert probe(raw, part["start"] * 512, part["size"] * 512)["TYPE"] == "iso9660"
    iso = tmp / "config-drive.iso"
    with open(raw, "rb") as src, open(iso, "wb") as dst:
        src.seek(part["start"] * 512)
        dst.write(src.read(part["size"] * 512))
    try:
        return {name: subprocess.run(["isoinfo", "-R", "-i", str(iso), "-x", name], check=True,
                                     capture_output=True).stdout for name in files}
    finally:
        iso.unlink()


def history(ironic, node_uuid: str) -> list:
    """Ironic's history of a node, oldest first: `event_type` (e.g. `automated_cleaning_end`,
    `deployment_start`), `event`, `severity`."""
    events = ironic.get(f"/v1/nodes/{node_uuid}/history", params={"detail": "true"})["history"]
    return sorted(events, key=lambda e: e["created_at"])


def flows(events: list) -> list:
    """The step flows Ironic recorded, in order: (event_type, succeeded) of each `*_end`, e.g.
    ("automated_cleaning_end", True)."""
    return [(e["event_type"], "completed successfully" in e["event"])
            for e in events if e["event_type"].endswith("_end")]


def wait_console(path: Path, offset: int, needle: str, timeout: float) -> str:
    """The console log after `offset` once it holds `needle`; fails with its tail after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        text = console_from(path, offset)
        if needle in text:
            return text
        assert time.monotonic() < deadline, f"no {needle!r} on the console in {timeout:.0f} s:\n{text[-2000:]}"
        time.sleep(2)


def console_from(path: Path, offset: int) -> str:
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


def console_size(vm: dict) -> int:
    path = Path(vm["console_log"])
    return path.stat().st_size if path.exists() else 0


FAST_TRACK_TIMEOUT = 300  # the lab's Ironic `[deploy] fast_track_timeout` (m3lab/lab.py)


def wait_fast_track_expired(ironic, node_uuid: str) -> float:
    """Waits until Ironic no longer takes the node's agent for running: FAST_TRACK_TIMEOUT after
    its last heartbeat. Ironic 39 keeps a deployed node's agent URL and heartbeat, so a rebuild
    within that time is sent to the agent that is gone (the VM runs the deployed OS) and fails
    ("No route to host"). Returns the seconds waited."""
    from datetime import datetime, timezone
    info = ironic.node(node_uuid)["driver_internal_info"]
    last = info.get("agent_last_heartbeat")
    if not last:
        return 0.0
    beat = datetime.fromisoformat(last)
    if beat.tzinfo is None:
        beat = beat.replace(tzinfo=timezone.utc)
    wait = FAST_TRACK_TIMEOUT + 5 - (datetime.now(timezone.utc) - beat).total_seconds()
    if wait > 0:
        time.sleep(wait)
    return max(wait, 0.0)


# ---- BIOS, firmware versions and software RAID (test_lab_hardware_settings.py) -------------

SUSHY_NS = {"sushy": "http://openstack.org/xmlns/libvirt/sushy"}


def redfish(lab: dict, method: str, path: str, body: dict | None = None) -> tuple:
    """A request to the lab's sushy-tools (inside the namespace: curl under `ip netns exec`);
    returns (HTTP status, JSON body or None)."""
    argv = ["ip", "netns", "exec", lab["netns"], "curl", "-sS", "-X", method,
            "-u", f"{lab['redfish_username']}:{lab['redfish_password']}",
            "-w", "\n%{http_code}", lab["redfish_url"] + path]
    if body is not None:
        argv += ["-H", "Content-Type: application/json", "-d", json.dumps(body)]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    text, _, status = out.rpartition("\n")
    return int(status), (json.loads(text) if text.strip() else None)


def emulator_bios(name: str) -> tuple:
    """What sushy-tools' libvirt driver keeps in the domain's metadata: (BIOS attributes,
    firmware versions), read from `virsh dumpxml` (not through sushy)."""
    root = ET.fromstring(virsh("dumpxml", "--inactive", name))
    bios = root.find("metadata/sushy:bios", SUSHY_NS)
    if bios is None:
        return {}, {}
    attrs = {a.get("name"): a.get("value") for a in bios.findall("sushy:attributes/sushy:attribute", SUSHY_NS)}
    versions = {v.get("name"): v.get("value") for v in bios.findall("sushy:versions/sushy:version", SUSHY_NS)}
    return attrs, versions


MD_MAGIC = 0xA92B4EFC
MD_LEVELS = {0: "raid0", 1: "raid1", 10: "raid10"}


def md_superblock(blob: bytes) -> dict | None:
    """The Linux md version-1 superblock (struct mdp_superblock_1 of linux/raid/md_p.h) at the
    start of `blob`, or None: `version`, `level`, `raid_disks`, `array_uuid`, `name`,
    `size_sectors`, `data_offset`, `dev_number`."""
    import struct
    import uuid as uuidlib
    if len(blob) < 256 or struct.unpack_from("<I", blob, 0)[0] != MD_MAGIC:
        return None
    level, = struct.unpack_from("<i", blob, 72)
    return {"version": struct.unpack_from("<I", blob, 4)[0],
            "array_uuid": str(uuidlib.UUID(bytes=blob[16:32])),
            "name": blob[32:64].rstrip(b"\0").decode(errors="replace"),
            "level": MD_LEVELS.get(level, level),
            "size_sectors": struct.unpack_from("<Q", blob, 80)[0],
            "raid_disks": struct.unpack_from("<I", blob, 92)[0],
            "data_offset": struct.unpack_from("<Q", blob, 128)[0],
            "super_offset": struct.unpack_from("<Q", blob, 144)[0],
            "dev_number": struct.unpack_from("<I", blob, 160)[0]}


def md_members(raw: Path) -> list:
    """Each partition of a raw disk that holds an md v1.x superblock (1.1 at its start, 1.2 at
    4 KiB, 1.0 at the end: 8 KiB before it, 4 KiB-aligned): the partition (`node`, `start`,
    `size` in sectors) with its superblock as `md`."""
    found = []
    with open(raw, "rb") as f:
        for index, part in enumerate(partitions(raw), 1):
            start, size = part["start"] * 512, part["size"] * 512
            end_sb = ((size - 8192) & ~4095) if size > 8192 else 0
            for offset in (4096, 0, end_sb):
                f.seek(start + offset)
                sb = md_superblock(f.read(4096))
                if sb is not None and sb["super_offset"] * 512 == offset:
                    found.append({"index": index, **part, "md": sb})
                    break
    return found


