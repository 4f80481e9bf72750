"""A tiny BIOS-bootable live ISO for Ironic's `ramdisk` deploy (~2 s, cached):

isolinux | the agent's kernel | a busybox initramfs whose init prints MARKER with a fresh boot id
on the serial console, then waits for the ACPI power button and powers off when it is pressed.
The power button is what libvirt's graceful shutdown and reboot press (sushy-tools'
GracefulShutdown and GracefulRestart), so soft power off and soft reboot work on it. Debian's
kernel has the ACPI button and evdev drivers as modules: they are taken from the agent's
initramfs (same kernel) and loaded by init; the disks are never touched."""

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from m3lab.osimage import cpio_gz, run

RECIPE = 2
MARKER = "METAL3-LAB-LIVE-ISO-BOOTED"
BUTTON_MARKER = "METAL3-LAB-LIVE-ISO-POWER-BUTTON"
MODULES = ("kernel/drivers/input/evdev.ko", "kernel/drivers/acpi/button.ko")
ISOLINUX_BIN = Path("/usr/lib/ISOLINUX/isolinux.bin")
LDLINUX_C32 = Path("/usr/lib/syslinux/modules/bios/ldlinux.c32")

# The power button's input device is found by name; reading one event from it blocks until it is
# pressed. poweroff -f is the reboot(2) call: init is PID 1, there is nothing to stop.
INIT = f"""#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null
for m in /lib/modules/*.ko; do /bin/busybox insmod "$m" 2>/dev/null; done
boot=$(/bin/busybox cat /proc/sys/kernel/random/boot_id)
say() {{ for i in 1 2 3; do echo "$1" > /dev/ttyS0; echo "$1" > /dev/tty0; done; }}
button=
for i in 1 2 3 4 5 6 7 8 9 10; do
  for d in /sys/class/input/input*; do
    if [ "$(/bin/busybox cat $d/name 2>/dev/null)" = "Power Button" ]; then
      for e in $d/event*; do [ -e "$e" ] && button=/dev/input/$(/bin/busybox basename $e); done
    fi
  done
  [ -n "$button" ] && [ -e "$button" ] && break
  /bin/busybox sleep 1
done
say "{MARKER} image=@ID@ boot=$boot button=${{button:-none}}"
if [ -n "$button" ] && /bin/busybox dd if=$button of=/dev/null bs=24 count=1 2>/dev/null; then
  say "{BUTTON_MARKER} boot=$boot"
  /bin/busybox sync
  /bin/busybox poweroff -f
fi
while true; do /bin/busybox sleep 3600; done
"""

ISOLINUX_CFG = """SERIAL 0 115200
DEFAULT live
PROMPT 0
TIMEOUT 1
LABEL live
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=tty0 console=ttyS0,115200 panic=10
"""


def build(kernel: Path, agent_initramfs: Path, cache: Path) -> dict:
    """Builds (or finds in `cache`) the ISO for `kernel`, its modules read from `agent_initramfs`
    (the agent's, built for the same kernel); returns its path, checksum and markers."""
    kernel_sha = hashlib.sha256(kernel.read_bytes()).hexdigest()
    key = hashlib.sha256(f"{RECIPE}{INIT}{ISOLINUX_CFG}{MODULES}{kernel_sha}".encode()).hexdigest()[:16]
    out = cache / "liveiso" / key
    iso = out / "live.iso"
    if not iso.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            _build(Path(tmp), kernel, agent_initramfs, key)
            shutil.move(str(Path(tmp) / "out"), out)
    return {
        "iso": str(iso),
        "sha256": hashlib.sha256(iso.read_bytes()).hexdigest(),
        "marker": MARKER,
        "button_marker": BUTTON_MARKER,
        "image_id": key,
        "power_button": (out / "power-button").read_text().strip() == "yes",
    }


def agent_modules(agent_initramfs: Path, dest: Path) -> list:
    """Copies MODULES out of the agent's initramfs (gzip cpio, ~5 s) into `dest`; returns the
    names found (a kernel with them built in has none to copy)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        patterns = [f"usr/lib/modules/*/{m}" for m in MODULES]
        with open(agent_initramfs, "rb") as f:
            gz = subprocess.Popen(["gzip", "-dc"], stdin=f, stdout=subprocess.PIPE)
            subprocess.run(["cpio", "-idm", "--quiet", *patterns], stdin=gz.stdout, cwd=tmp, check=True,
                           stderr=subprocess.DEVNULL)
            gz.wait()
        found = []
        for ko in sorted(Path(tmp).glob("usr/lib/modules/*/kernel/**/*.ko")):
            shutil.copy(ko, dest / ko.name)
            found.append(ko.name)
    return found


def _build(tmp: Path, kernel: Path, agent_initramfs: Path, key: str) -> None:
    root = tmp / "initramfs"
    (root / "bin").mkdir(parents=True)
    shutil.copy("/bin/busybox", root / "bin" / "busybox")
    found = agent_modules(agent_initramfs, root / "lib" / "modules")
    (root / "init").write_text(INIT.replace("@ID@", key))
    (root / "init").chmod(0o755)
    tree = tmp / "iso"
    (tree / "isolinux").mkdir(parents=True)
    shutil.copy(ISOLINUX_BIN, tree / "isolinux" / "isolinux.bin")
    shutil.copy(LDLINUX_C32, tree / "isolinux" / "ldlinux.c32")
    (tree / "isolinux" / "isolinux.cfg").write_text(ISOLINUX_CFG)
    shutil.copy(kernel, tree / "vmlinuz")
    (tree / "initrd.gz").write_bytes(cpio_gz(root))
    out = tmp / "out"
    out.mkdir()
    run("genisoimage", "-quiet", "-o", out / "live.iso", "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
        "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table", "-J", "-R", "-V", "M3LABLIVE", tree,
        stderr=subprocess.DEVNULL)
    # Whether init can see the power button: both modules found (a kernel with them built in is
    # not expected here: Debian builds them as modules).
    (out / "power-button").write_text("yes\n" if len(found) == len(MODULES) else "no\n")
