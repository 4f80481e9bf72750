"""`python -m m3lab up|down|status`: the lab's network namespace, services and VMs.

Everything listens inside the network namespace NS (a bridge, no link out) except one forwarder
that makes Ironic (and the file server) reachable from 127.0.0.1. State lives in LAB_DIR
(default .work/lab): pids.json, logs/, lab.json, the VMs' disks and consoles. Built artefacts (the
agent ramdisk, the test OS image) are cached by content in M3LAB_CACHE (default
$XDG_CACHE_HOME/metal3-lab or /var/cache/metal3-lab)."""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from m3lab import liveiso, osimage
from m3stack.processes import ProcessTable
from m3stack.stack import write_htpasswd

ROOT = Path(__file__).resolve().parents[3]
LAB_SRC = ROOT / "acceptance-tests" / "lab"
NS = "m3lab"
BRIDGE = "m3lab-br0"
HOST_IP = "192.168.222.1"
PREFIX = 24
DHCP_RANGE = ("192.168.222.100", "192.168.222.199")
PORTS = {"files": 8080, "sushy": 8000, "ironic": 6385}
DOMAIN_PREFIX = "m3lab-vm-"
QEMU_CONF = Path("/etc/libvirt/qemu.conf")
QEMU_CONF_BLOCK_BEGIN = "# BEGIN metal3-lab (removed by make lab-down)"
QEMU_CONF_BLOCK = f"""{QEMU_CONF_BLOCK_BEGIN}
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
# END metal3-lab
"""
# 2 GiB fits the pruned agent ramdisk (the kernel unpacks it into a tmpfs of half the RAM); the
# whole one (LAB_AGENT_PRUNE=0) needs 3 GiB.
VM_MEMORY_MIB = int(os.environ.get("LAB_VM_MEMORY_MIB",
                                   "2048" if os.environ.get("LAB_AGENT_PRUNE", "1") == "1" else "3072"))
VM_VCPUS = 2
VM_DISKS_GIB = (10, 6)
# Under TCG the test OS reaches its init in ~10 s here; 120 s leaves room for a loaded machine.
TEST_BOOT_TCG_SECONDS = 120
LIBVIRT_URI = "qemu:///system"
# Bumped when what a running lab serves or how its Ironic is configured changes (2: the live ISO,
# force_power_state_during_sync = false; 3: Redfish BIOS/firmware polled every 10 s): `up` on a
# healthy lab of another version rebuilds it.
LAB_VERSION = 3


def log(msg: str) -> None:
    print(f"m3lab: {msg}", file=sys.stderr, flush=True)


class LabError(RuntimeError):
    pass


class LabCannotRun(LabError):
    """This machine cannot run the lab's VMs (no test boot reaches the guest's init)."""


def sh(*argv, check=True, capture=False, ns=False, **kw) -> subprocess.CompletedProcess:
    cmd = [str(a) for a in argv]
    if ns:
        cmd = ["ip", "netns", "exec", NS, *cmd]
    res = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if check and res.returncode != 0:
        raise LabError(f"`{' '.join(cmd)}` failed ({res.returncode}): {(res.stderr or res.stdout).strip()[-2000:]}")
    return res


def virsh(*args, check=True) -> str:
    return sh("virsh", "-q", "-c", LIBVIRT_URI, *args, check=check).stdout


def cache_dir() -> Path:
    if os.environ.get("M3LAB_CACHE"):
        return Path(os.environ["M3LAB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or "/var/cache"
    return Path(base) / "metal3-lab"


def mac(vm: int, nic: int) -> str:
    return f"52:54:00:22:{vm:02x}:{nic + 1:02x}"


class Lab:
    def __init__(self, state_dir: Path, vms: int = 2, forward_port: int = 16385, files_port: int = 16380):
        self.dir = state_dir.resolve()
        self.vms = vms
        self.forward_port = forward_port
        self.files_port = files_port
        self.procs = ProcessTable(self.dir)
        self.info_path = self.dir / "lab.json"

    # ---- up -----------------------------------------------------------------------------
    def up(self) -> dict:
        if os.geteuid() != 0:
            raise LabError("the lab needs root (network namespaces, libvirt)")
        t0 = time.monotonic()
        timings = {}
        agent = self.build_agent()  # seconds when cached; tells which ramdisk this lab should run
        timings["agent_ramdisk"] = round(time.monotonic() - t0, 1)
        if self.healthy():
            info = json.loads(self.info_path.read_text())
            same = (len(info["vms"]), info["agent_cache"], info["vms"][0]["memory_mib"] if info["vms"] else None,
                    info.get("lab_version"))
            if same == (self.vms, str(agent), VM_MEMORY_MIB if self.vms else None, LAB_VERSION):
                log(f"already up: {self.info_path}")
                return info
            log(f"up with {same}, asked for {(self.vms, str(agent), VM_MEMORY_MIB, LAB_VERSION)} "
                "(VMs, agent, MiB, lab version): rebuilding")
        if self.procs.load() or netns_exists():
            log("leftovers of an earlier lab: taking them down first")
            self.down()
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "logs").mkdir(exist_ok=True)
        try:
            t = time.monotonic()
            image = osimage.build(agent / "ipa.kernel", cache_dir())
            # A second image (another id) for the redeploy test: other bytes, another marker.
            image_b = osimage.build(agent / "ipa.kernel", cache_dir(), variant="b")
            timings["test_os_image"] = round(time.monotonic() - t, 1)
            t = time.monotonic()
            live = liveiso.build(agent / "ipa.kernel", agent / "ipa.initramfs", cache_dir())
            timings["live_iso"] = round(time.monotonic() - t, 1)
            t = time.monotonic()
            accel = self.choose_accelerator(image)
            timings["accelerator_check"] = round(time.monotonic() - t, 1)
            info = self._start(agent, {"test_os": image, "test_os_b": image_b}, live, accel)
            info["timings_seconds"] = {**timings, "lab_up_total": round(time.monotonic() - t0, 1)}
            self.info_path.write_text(json.dumps(info, indent=2))
        except BaseException:
            log(f"lab-up failed; logs in {self.dir / 'logs'}; taking down what was started")
            self.print_log_tails()
            self.down()
            raise
        log(f"up in {time.monotonic() - t0:.0f}s: {self.info_path}")
        return info

    def build_agent(self) -> Path:
        res = subprocess.run([str(LAB_SRC / "build-agent.sh")], stdout=subprocess.PIPE, text=True)
        if res.returncode != 0:
            raise LabError("building the agent ramdisk failed (see the lines above)")
        return Path(res.stdout.strip().splitlines()[-1])

    def choose_accelerator(self, image: dict) -> str:
        """KVM if a test boot of the test OS's kernel reaches its init within 60 s, else TCG if one
        does within TEST_BOOT_TCG_SECONDS; LabCannotRun when neither does (the machine cannot run
        the lab's VMs: `make test` then skips the lab tests loudly, or fails in CI)."""
        forced = os.environ.get("LAB_ACCEL")
        if forced in ("kvm", "tcg"):
            return forced
        cached = self.dir / "accel.json"
        boot_id = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        if cached.exists():
            c = json.loads(cached.read_text())
            if c.get("boot_id") == boot_id:
                return c["accel"]
        accel = None
        if os.path.exists("/dev/kvm"):
            why = self.test_boot(image, "kvm", 60)
            log(f"KVM test boot: {why or 'reached the test OS init'}")
            accel = None if why else "kvm"
        else:
            log("no /dev/kvm")
        if accel is None:
            why = self.test_boot(image, "tcg", TEST_BOOT_TCG_SECONDS)
            log(f"TCG test boot: {why or 'reached the test OS init'}")
            if why:
                raise LabCannotRun(f"no test boot reached the guest's init under KVM or TCG ({why})")
            accel = "tcg"
        log(f"using {accel.upper()}")
        cached.write_text(json.dumps({"boot_id": boot_id, "accel": accel}))
        return accel

    def test_boot(self, image: dict, accel: str, seconds: int) -> str | None:
        """Boots the test OS's kernel and initramfs directly under `accel`; None when its init
        printed the marker within `seconds`, else why not (QEMU's own words, kept in
        logs/<accel>-test.log, with the console in logs/<accel>-test-console.log)."""
        console = self.dir / "logs" / f"{accel}-test-console.log"
        console.unlink(missing_ok=True)
        err_log = self.dir / "logs" / f"{accel}-test.log"
        osdir = Path(image["qcow2"]).parent
        cpu = ["-accel", "kvm", "-cpu", "host"] if accel == "kvm" else ["-accel", "tcg", "-cpu", "qemu64"]
        try:
            with open(err_log, "wb") as err:
                proc = subprocess.Popen(
                    ["qemu-system-x86_64", *cpu, "-m", "256", "-display", "none", "-no-reboot",
                     "-kernel", str(osdir / "vmlinuz"), "-initrd", str(osdir / "initrd.gz"),
                     "-append", "console=ttyS0 panic=-1", "-serial", f"file:{console}", "-monitor", "none"],
                    stdout=subprocess.DEVNULL, stderr=err)
        except OSError as e:
            return f"qemu-system-x86_64 did not start: {e}"
        reached = False
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            if console.exists() and osimage.MARKER in console.read_text(errors="replace"):
                reached = True
                break
            time.sleep(1)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if reached:
            return None
        return err_log.read_text(errors="replace").strip()[-200:] or f"no marker in {seconds} s"

    def _start(self, agent: Path, images: dict, live: dict, accel: str) -> dict:
        d = self.dir
        # network namespace + bridge, no link out
        sh("ip", "netns", "add", NS)
        sh("ip", "-n", NS, "link", "set", "lo", "up")
        sh("ip", "-n", NS, "link", "add", BRIDGE, "type", "bridge")
        sh("ip", "-n", NS, "addr", "add", f"{HOST_IP}/{PREFIX}", "dev", BRIDGE)
        sh("ip", "-n", NS, "link", "set", BRIDGE, "up")

        # files served over HTTP inside the namespace
        http = d / "http"
        shutil.rmtree(http, ignore_errors=True)
        for sub in ("agent", "images", "ironic"):
            (http / sub).mkdir(parents=True)
        for name in ("ipa.kernel", "ipa.initramfs"):
            (http / "agent" / name).symlink_to(agent / name)
        (http / "images" / "live.iso").symlink_to(live["iso"])
        files_url = f"http://{HOST_IP}:{PORTS['files']}"
        image_info = {key: serve_image(http / "images", files_url, key.replace("_", "-"), image)
                      for key, image in images.items()}
        self.procs.start("files", ["ip", "netns", "exec", NS, sys.executable, "-m", "m3stack.fileserver",
                                   "--root", str(http), "--host", HOST_IP, "--port", str(PORTS["files"])])

        # DHCP only (port=0: no DNS)
        self.procs.start("dnsmasq", ["ip", "netns", "exec", NS, "dnsmasq", "--keep-in-foreground",
                                     "--conf-file=/dev/null", "--port=0", f"--interface={BRIDGE}",
                                     "--bind-interfaces", "--user=root", "--group=root",
                                     f"--dhcp-range={DHCP_RANGE[0]},{DHCP_RANGE[1]},255.255.255.0,1h",
                                     "--dhcp-option=3", "--dhcp-option=6", "--log-dhcp",
                                     f"--dhcp-leasefile={d / 'dnsmasq.leases'}",
                                     f"--pid-file={d / 'dnsmasq.pid'}"])

        # libvirt, started inside the namespace so the VMs' taps join its bridge
        self.patch_qemu_conf()
        (d / "libvirtd.conf").write_text('auth_unix_rw = "none"\nauth_unix_ro = "none"\n')
        self.procs.start("virtlogd", ["virtlogd", "-p", str(d / "virtlogd.pid")])
        self.procs.start("libvirtd", ["ip", "netns", "exec", NS, "libvirtd", "-f", str(d / "libvirtd.conf"),
                                      "-p", str(d / "libvirtd.pid")])
        wait_for("libvirtd", lambda: sh("virsh", "-c", LIBVIRT_URI, "version", check=False).returncode == 0, 30,
                 self.dir / "logs" / "libvirtd.log", alive=lambda: "libvirtd" in self.procs.alive())
        pool = d / "pool"
        pool.mkdir(exist_ok=True)
        if sh("virsh", "-c", LIBVIRT_URI, "pool-info", "default", check=False).returncode != 0:
            virsh("pool-define-as", "default", "dir", "--target", pool)
            (d / "pool-created").write_text("default\n")
        if "running" not in virsh("pool-info", "default"):
            virsh("pool-start", "default")

        vms = [self.define_vm(i, accel) for i in range(self.vms)]

        # sushy-tools, libvirt driver, HTTP basic auth
        redfish_user, redfish_password = "admin", secrets.token_urlsafe(18)
        write_htpasswd(d / "sushy.htpasswd", redfish_user, redfish_password)
        (d / "sushy.conf").write_text(
            f"SUSHY_EMULATOR_LISTEN_IP = {HOST_IP!r}\n"
            f"SUSHY_EMULATOR_LISTEN_PORT = {PORTS['sushy']}\n"
            "SUSHY_EMULATOR_SSL_CERT = None\nSUSHY_EMULATOR_SSL_KEY = None\n"
            f"SUSHY_EMULATOR_AUTH_FILE = {str(d / 'sushy.htpasswd')!r}\n"
            f"SUSHY_EMULATOR_LIBVIRT_URI = {LIBVIRT_URI!r}\n"
            f"SUSHY_EMULATOR_ALLOWED_INSTANCES = {[vm['uuid'] for vm in vms]!r}\n"
            "SUSHY_EMULATOR_IGNORE_BOOT_DEVICE = False\n"
            "SUSHY_EMULATOR_VMEDIA_VERIFY_SSL = False\n")
        self.procs.start("sushy", ["ip", "netns", "exec", NS, venv_bin("sushy-emulator"), "--config",
                                   str(d / "sushy.conf")])

        # Ironic
        ironic_user, ironic_password = "m3lab", secrets.token_urlsafe(18)
        write_htpasswd(d / "ironic.htpasswd", ironic_user, ironic_password)
        conf = write_lab_ironic_conf(d / "ironic", http / "ironic", f"{files_url}/ironic",
                                     f"{files_url}/agent/ipa.kernel", f"{files_url}/agent/ipa.initramfs",
                                     d / "ironic.htpasswd")
        with open(d / "logs" / "dbsync.log", "wb") as out:
            if subprocess.run([venv_bin("ironic-dbsync"), "--config-file", str(conf), "create_schema"],
                              stdout=out, stderr=subprocess.STDOUT).returncode != 0:
                raise LabError(f"ironic-dbsync failed: see {d / 'logs' / 'dbsync.log'}")
        self.procs.start("ironic", ["ip", "netns", "exec", NS, sys.executable, "-m", "m3stack.ironic_process",
                                    "singleprocess", "ironic", "--config-file", str(conf)])

        # the one way in from outside: loopback forwards
        self.procs.start("forward", [sys.executable, "-m", "m3lab.forward", "--netns", NS,
                                     f"{self.forward_port}:{HOST_IP}:{PORTS['ironic']}",
                                     f"{self.files_port}:{HOST_IP}:{PORTS['files']}"])
        ironic_url = f"http://127.0.0.1:{self.forward_port}"
        auth = (ironic_user, ironic_password)
        wait_for("Ironic with the redfish driver", lambda: _drivers_loaded(ironic_url, auth), 120,
                 d / "logs" / "ironic.log", alive=lambda: "ironic" in self.procs.alive())
        wait_for("sushy-tools", lambda: sh("curl", "-sf", "-u", f"{redfish_user}:{redfish_password}",
                                           f"http://{HOST_IP}:{PORTS['sushy']}/redfish/v1/Systems",
                                           ns=True, check=False).returncode == 0, 30, d / "logs" / "sushy.log")
        sushy_url = f"http://{HOST_IP}:{PORTS['sushy']}"
        for vm in vms:
            vm["redfish_address"] = sushy_url
            vm["redfish_system_id"] = f"/redfish/v1/Systems/{vm['uuid']}"
            vm["bmc_address"] = f"redfish-virtualmedia+{sushy_url}/redfish/v1/Systems/{vm['uuid']}"
        return {
            "lab_version": LAB_VERSION,
            "ironic_url": ironic_url,
            "ironic_username": ironic_user,
            "ironic_password": ironic_password,
            "ironic_url_in_namespace": f"http://{HOST_IP}:{PORTS['ironic']}",
            "netns": NS,
            "bridge": BRIDGE,
            "accelerator": accel,
            "redfish_url": sushy_url,
            "redfish_username": redfish_user,
            "redfish_password": redfish_password,
            "file_server_url": files_url,
            "file_server_url_from_host": f"http://127.0.0.1:{self.files_port}",
            "deploy_kernel_url": f"{files_url}/agent/ipa.kernel",
            "deploy_ramdisk_url": f"{files_url}/agent/ipa.initramfs",
            "agent_cache": str(agent),
            "agent_build": json.loads((agent / "build.json").read_text()),
            "images": {
                **image_info,
                "live_iso": {
                    "url": f"{files_url}/images/live.iso",
                    "disk_format": "live-iso",
                    "sha256": live["sha256"],
                    "console_marker": live["marker"],
                    "power_button_marker": live["button_marker"],
                    "power_button": live["power_button"],
                    "image_id": live["image_id"],
                },
            },
            "vms": vms,
            "log_dir": str(d / "logs"),
            "libvirt_uri": LIBVIRT_URI,
        }

    def patch_qemu_conf(self) -> None:
        backup = self.dir / "qemu.conf.orig"
        text = QEMU_CONF.read_text() if QEMU_CONF.exists() else ""
        if QEMU_CONF_BLOCK_BEGIN in text:
            return
        if not backup.exists():
            shutil.copy2(QEMU_CONF, backup) if QEMU_CONF.exists() else backup.write_text("")
        QEMU_CONF.write_text(text + ("\n" if text and not text.endswith("\n") else "") + QEMU_CONF_BLOCK)

    def restore_qemu_conf(self) -> None:
        backup = self.dir / "qemu.conf.orig"
        if backup.exists():
            shutil.copy2(backup, QEMU_CONF)
            backup.unlink()
        elif QEMU_CONF.exists() and QEMU_CONF_BLOCK_BEGIN in QEMU_CONF.read_text():
            text = QEMU_CONF.read_text()
            QEMU_CONF.write_text(text.split(QEMU_CONF_BLOCK_BEGIN)[0].rstrip("\n") + "\n")

    def define_vm(self, i: int, accel: str) -> dict:
        name = f"{DOMAIN_PREFIX}{i}"
        vdir = self.dir / "vms" / name
        shutil.rmtree(vdir, ignore_errors=True)
        vdir.mkdir(parents=True)
        disks = []
        for n, gib in enumerate(VM_DISKS_GIB):
            path = vdir / f"disk{n}.qcow2"
            sh("qemu-img", "create", "-q", "-f", "qcow2", path, f"{gib}G")
            disks.append({"path": str(path), "size_bytes": gib * 1024 ** 3, "target": f"vd{'ab'[n]}",
                          "serial": f"m3lab{i}d{n}"})
        console = vdir / "console.log"
        vm_uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"metal3-lab/{name}"))
        macs = [mac(i, 0), mac(i, 1)]
        dtype, cpu = ("kvm", "<cpu mode='host-passthrough'/>") if accel == "kvm" else \
            ("qemu", "<cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model></cpu>")
        disk_xml = "".join(
            f"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{x['path']}'/>"
            f"<target dev='{x['target']}' bus='virtio'/><serial>{x['serial']}</serial></disk>" for x in disks)
        nic_xml = "".join(
            f"<interface type='bridge'><mac address='{m}'/><source bridge='{BRIDGE}'/><model type='virtio'/></interface>"
            for m in macs)
        xml = f"""<domain type='{dtype}'>
  <name>{name}</name><uuid>{vm_uuid}</uuid>
  <memory unit='MiB'>{VM_MEMORY_MIB}</memory><vcpu>{VM_VCPUS}</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  {cpu}
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    {disk_xml}
    {nic_xml}
    <serial type='file'><source path='{console}' append='on'/><target port='0'/></serial>
    <graphics type='vnc' listen='127.0.0.1' autoport='yes'/>
    <video><model type='vga'/></video>
  </devices>
</domain>
"""
        (vdir / "domain.xml").write_text(xml)
        if sh("virsh", "-c", LIBVIRT_URI, "domid", name, check=False).returncode == 0:
            virsh("destroy", name, check=False)
            virsh("undefine", name, check=False)
        virsh("define", vdir / "domain.xml")
        return {"name": name, "uuid": vm_uuid, "macs": macs, "boot_mac": macs[0], "memory_mib": VM_MEMORY_MIB,
                "vcpus": VM_VCPUS, "disks": disks, "console_log": str(console)}

    # ---- down / status ------------------------------------------------------------------
    def down(self) -> None:
        if sh("virsh", "-c", LIBVIRT_URI, "version", check=False).returncode == 0:
            for name in virsh("list", "--all", "--name", check=False).split():
                if name.startswith(DOMAIN_PREFIX):
                    virsh("destroy", name, check=False)
                    virsh("undefine", name, check=False)
            if (self.dir / "pool-created").exists():
                virsh("pool-destroy", "default", check=False)
                virsh("pool-undefine", "default", check=False)
                (self.dir / "pool-created").unlink()
        stopped = self.procs.stop_all()
        if stopped:
            log(f"stopped {', '.join(stopped)}")
        for pid in lab_qemu_pids():
            log(f"killing leftover QEMU {pid}")
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        if netns_exists():
            sh("ip", "netns", "del", NS)
        self.restore_qemu_conf()
        # run/: the lab demo's Terraform working copies, whose state names nodes of the Ironic removed here.
        for leftover in ("lab.json", "http", "vms", "pool", "ironic", "dnsmasq.leases", "run"):
            p = self.dir / leftover
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            elif p.exists():
                p.unlink()
        log("down")

    def healthy(self) -> bool:
        if not self.info_path.exists() or not netns_exists():
            return False
        want = {"files", "dnsmasq", "virtlogd", "libvirtd", "sushy", "ironic", "forward"}
        if set(self.procs.alive()) != want:
            return False
        info = json.loads(self.info_path.read_text())
        return _drivers_loaded(info["ironic_url"], (info["ironic_username"], info["ironic_password"]))

    def status(self) -> dict:
        st = {"netns": netns_exists(), "processes": self.procs.alive(), "healthy": self.healthy(),
              "qemu_conf_patched": QEMU_CONF.exists() and QEMU_CONF_BLOCK_BEGIN in QEMU_CONF.read_text()}
        if sh("virsh", "-c", LIBVIRT_URI, "version", check=False).returncode == 0:
            st["domains"] = {n: virsh("domstate", n).strip()
                             for n in virsh("list", "--all", "--name").split() if n.startswith(DOMAIN_PREFIX)}
        return st

    def print_log_tails(self) -> None:
        for f in sorted((self.dir / "logs").glob("*.log")):
            lines = f.read_text(errors="replace").splitlines()[-8:]
            if lines:
                print(f"--- {f} (last lines)", file=sys.stderr)
                print("\n".join(lines), file=sys.stderr)


def serve_image(images_dir: Path, files_url: str, name: str, image: dict) -> dict:
    """Serves an osimage build as `<name>.qcow2` with a sha256 checksum file beside it; returns
    its lab.json entry."""
    (images_dir / f"{name}.qcow2").symlink_to(image["qcow2"])
    (images_dir / f"{name}.qcow2.sha256sum").write_text(f"{image['qcow2_sha256']}  {name}.qcow2\n")
    return {
        "url": f"{files_url}/images/{name}.qcow2",
        "checksum": image["qcow2_sha256"],
        "checksum_type": "sha256",
        "checksum_url": f"{files_url}/images/{name}.qcow2.sha256sum",
        "disk_format": "qcow2",
        "raw_sha256": image["raw_sha256"],
        "raw_path": image["raw"],
        "console_marker": image["marker"],
        "image_id": image["image_id"],
    }


def write_lab_ironic_conf(home: Path, http_root: Path, http_url: str, kernel_url: str, ramdisk_url: str,
                          htpasswd: Path) -> Path:
    for sub in ("", "tmp", "locks", "images", "master_images", "tftpboot", "tftpboot/master_images"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    http_root.mkdir(parents=True, exist_ok=True)
    url = f"http://{HOST_IP}:{PORTS['ironic']}"
    conf = f"""[DEFAULT]
auth_strategy = http_basic
http_basic_auth_user_file = {htpasswd}
enabled_hardware_types = redfish
enabled_boot_interfaces = redfish-virtual-media
enabled_deploy_interfaces = direct,ramdisk,custom-agent
enabled_inspect_interfaces = agent,no-inspect
enabled_power_interfaces = redfish
enabled_management_interfaces = redfish
enabled_raid_interfaces = agent,no-raid,redfish
enabled_bios_interfaces = no-bios,redfish
enabled_firmware_interfaces = no-firmware,redfish
enabled_vendor_interfaces = no-vendor,redfish
enabled_console_interfaces = no-console
enabled_rescue_interfaces = no-rescue
enabled_storage_interfaces = noop
enabled_network_interfaces = noop
default_network_interface = noop
default_boot_interface = redfish-virtual-media
default_deploy_interface = direct
default_inspect_interface = agent
default_raid_interface = agent
rpc_transport = none
host = m3lab
debug = true
use_stderr = true
tempdir = {home / "tmp"}
isolinux_bin = /usr/lib/ISOLINUX/isolinux.bin
ldlinux_c32 = /usr/lib/syslinux/modules/bios/ldlinux.c32
force_raw_images = false

[api]
host_ip = {HOST_IP}
port = {PORTS["ironic"]}
api_workers = 1

[database]
connection = sqlite:///{home / "ironic.sqlite"}
sqlite_synchronous = false

[dhcp]
dhcp_provider = none

[conductor]
deploy_kernel = {kernel_url}
deploy_ramdisk = {ramdisk_url}
automated_clean = true
check_provision_state_interval = 5
sync_power_state_interval = 60
# As in Metal3: the power sync records what the BMC says instead of forcing the machine back to
# the recorded state, so a machine powered off behind Ironic's back shows as drift in a plan.
force_power_state_during_sync = false
power_state_change_timeout = 60
inspect_wait_timeout = 900
deploy_callback_timeout = 1200
clean_callback_timeout = 1200

[deploy]
http_root = {http_root}
http_url = {http_url}
default_boot_mode = bios
fast_track = true
fast_track_timeout = 300
erase_devices_priority = 0
erase_devices_metadata_priority = 10
shred_random_overwrite_iterations = 0

[agent]
deploy_logs_collect = always
deploy_logs_storage_backend = local
deploy_logs_local_path = {home / "agent-logs"}

[redfish]
kernel_append_params = nofb vga=normal console=ttyS0
use_swift = false
# How often Ironic polls a BIOS apply or a firmware update in progress (default 60 s): a BIOS
# firmware update waits three polls, a BIOS apply one, and sushy-tools finishes each at once.
firmware_update_status_interval = 10

[inventory]
data_backend = database

[pxe]
tftp_root = {home / "tftpboot"}
tftp_master_path = {home / "tftpboot" / "master_images"}
images_path = {home / "images"}
instance_master_path = {home / "master_images"}

[service_catalog]
endpoint_override = {url}
auth_type = none

[oslo_concurrency]
lock_path = {home / "locks"}
"""
    path = home / "ironic.conf"
    path.write_text(conf)
    return path


def venv_bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    if not candidate.exists():
        raise LabError(f"no {candidate}: run acceptance-tests/lab/setup.sh")
    return str(candidate)


def netns_exists() -> bool:
    return Path(f"/run/netns/{NS}").exists()


def lab_qemu_pids() -> list:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmd and b"qemu-system" in cmd[0] and any(DOMAIN_PREFIX.encode() in a for a in cmd):
            pids.append(int(entry.name))
    return pids


def _drivers_loaded(url: str, auth) -> bool:
    try:
        r = requests.get(f"{url}/v1/drivers", auth=auth, timeout=5,
                         headers={"X-OpenStack-Ironic-API-Version": "latest"})
        return r.status_code == 200 and any(d["name"] == "redfish" for d in r.json()["drivers"])
    except (requests.RequestException, ValueError, KeyError):
        return False


def wait_for(what: str, check, timeout: float, log_file: Path | None = None, alive=None) -> None:
    """Polls `check` until it holds; fails at `timeout` or as soon as `alive()` says the process died."""
    deadline = time.monotonic() + timeout
    problem = f"not ready after {timeout:.0f}s"
    while time.monotonic() < deadline:
        if check():
            return
        if alive is not None and not alive():
            problem = "exited"
            break
        time.sleep(1)
    tail = ""
    if log_file and log_file.exists():
        tail = "\n" + "\n".join(log_file.read_text(errors="replace").splitlines()[-20:])
    raise LabError(f"{what} {problem}{tail}")
