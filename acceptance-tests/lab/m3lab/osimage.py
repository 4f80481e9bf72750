"""A tiny bootable test OS image, built without loop devices or root mounts (~1 s):

MBR (syslinux mbr.bin) | p1 FAT16, bootable: syslinux, a kernel, a busybox initramfs whose init
prints MARKER on the serial console | p2 ext4 holding /marker. Raw file assembled with dd and
sfdisk, then converted to qcow2 (64 MiB virtual)."""

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

RECIPE = 3
MARKER = "METAL3-LAB-TEST-OS-BOOTED"
SIZE_MIB = 64
P1_START_MIB, P1_MIB = 1, 32

INIT = f"""#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null
line="{MARKER} image=@ID@ boot=$(/bin/busybox cat /proc/sys/kernel/random/boot_id)"
for i in 1 2 3; do echo "$line" > /dev/ttyS0; echo "$line" > /dev/tty0; done
while true; do /bin/busybox sleep 3600; done
"""

SYSLINUX_CFG = """SERIAL 0 115200
DEFAULT lab
PROMPT 0
TIMEOUT 1
LABEL lab
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=tty0 console=ttyS0,115200 panic=10
"""


def run(*argv, **kw):
    subprocess.run([str(a) for a in argv], check=True, stdout=subprocess.DEVNULL, **kw)


def cpio_gz(root: Path) -> bytes:
    """The directory `root` as a gzipped newc cpio archive owned by root (an initramfs)."""
    files = subprocess.run(["find", ".", "-print0"], cwd=root, check=True, capture_output=True).stdout
    cpio = subprocess.run(["cpio", "--null", "-o", "-H", "newc", "--quiet", "-R", "0:0"], cwd=root,
                          input=files, check=True, capture_output=True).stdout
    return subprocess.run(["gzip", "-9n"], input=cpio, check=True, capture_output=True).stdout


def build(kernel: Path, cache: Path, variant: str = "") -> dict:
    """Builds (or finds in `cache`) the image for `kernel`; returns paths and checksums. Another
    `variant` is the same OS with another image id (a second image to redeploy: other bytes on
    disk, another id in the console marker); the default variant keeps the original key."""
    kernel_sha = hashlib.sha256(kernel.read_bytes()).hexdigest()
    key = hashlib.sha256(f"{RECIPE}{INIT}{SYSLINUX_CFG}{SIZE_MIB}{kernel_sha}{variant}".encode()).hexdigest()[:16]
    out = cache / "osimage" / key
    qcow = out / "test-os.qcow2"
    if not qcow.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            _build(Path(tmp), kernel, key)
            shutil.move(str(Path(tmp) / "out"), out)
    raw_digest = hashlib.sha256((out / "test-os.raw").read_bytes()).hexdigest()
    return {
        "qcow2": str(qcow),
        "qcow2_sha256": hashlib.sha256(qcow.read_bytes()).hexdigest(),
        "raw": str(out / "test-os.raw"),
        "raw_sha256": raw_digest,
        "marker": MARKER,
        "image_id": key,
    }


def _build(tmp: Path, kernel: Path, key: str) -> None:
    root = tmp / "initramfs"
    (root / "bin").mkdir(parents=True)
    busybox = Path("/bin/busybox")
    if not busybox.exists():
        raise RuntimeError("no /bin/busybox: install Debian's busybox-static (acceptance-tests/lab/setup.sh)")
    shutil.copy(busybox, root / "bin" / "busybox")
    (root / "init").write_text(INIT.replace("@ID@", key))
    (root / "init").chmod(0o755)
    (tmp / "initrd.gz").write_bytes(cpio_gz(root))
    (tmp / "syslinux.cfg").write_text(SYSLINUX_CFG)
    fat = tmp / "p1.img"
    run("mkfs.vfat", "-F", "16", "-n", "LABBOOT", "-C", fat, P1_MIB * 1024)
    run("syslinux", "--install", fat)
    for src, name in ((kernel, "vmlinuz"), (tmp / "initrd.gz", "initrd.gz"), (tmp / "syslinux.cfg", "syslinux.cfg")):
        run("mcopy", "-i", fat, src, f"::{name}")
    p2_start = P1_START_MIB + P1_MIB
    p2_mib = SIZE_MIB - p2_start - 1
    rootfs = tmp / "rootfs"
    rootfs.mkdir()
    (rootfs / "marker").write_text(f"{MARKER} image={key}\n")
    ext = tmp / "p2.img"
    run("mke2fs", "-q", "-t", "ext4", "-L", "labroot", "-d", rootfs, ext, f"{p2_mib}M")
    out = tmp / "out"
    out.mkdir()
    raw = out / "test-os.raw"
    with open(raw, "wb") as f:
        f.truncate(SIZE_MIB * 1024 * 1024)
    table = (f"label: dos\nstart={P1_START_MIB * 2048}, size={P1_MIB * 2048}, type=6, bootable\n"
             f"start={p2_start * 2048}, size={p2_mib * 2048}, type=83\n")
    subprocess.run(["sfdisk", "-q", str(raw)], input=table.encode(), check=True, stdout=subprocess.DEVNULL)
    mbr = Path("/usr/lib/syslinux/mbr/mbr.bin")
    run("dd", f"if={mbr}", f"of={raw}", "bs=440", "count=1", "conv=notrunc", stderr=subprocess.DEVNULL)
    run("dd", f"if={fat}", f"of={raw}", "bs=1M", f"seek={P1_START_MIB}", "conv=notrunc", stderr=subprocess.DEVNULL)
    run("dd", f"if={ext}", f"of={raw}", "bs=1M", f"seek={p2_start}", "conv=notrunc", stderr=subprocess.DEVNULL)
    run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, out / "test-os.qcow2")
    (out / "vmlinuz").write_bytes(kernel.read_bytes())
    (out / "initrd.gz").write_bytes((tmp / "initrd.gz").read_bytes())
