"""Bringing the whole test stack up and down in a state directory."""

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

import bcrypt
import requests

from m3stack.ironic_conf import sqlite_path, write_ironic_config
from m3stack.processes import ProcessTable

STARTUP_TIMEOUT = 90.0
FAKE_SYSTEM_COUNT = 3


def ironic_main(command: str, prog: str) -> list:
    """Interpreter arguments that run Ironic's `ironic.command.<command>` (e.g. `singleprocess`,
    `api`) as `prog`, made cheaper and fit for many clients (m3stack/ironic_process.py)."""
    return ["-m", "m3stack.ironic_process", command, prog]


IRONIC_MAIN = ironic_main("singleprocess", "ironic")


def log(msg: str) -> None:
    print(f"m3stack: {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def venv_bin(name: str) -> str:
    """Console scripts of the interpreter running us (the project's venv)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def write_htpasswd(path: Path, user: str, password: str) -> None:
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5, prefix=b"2b")).decode()
    path.write_text(f"{user}:{hashed}\n")
    path.chmod(0o600)


def images_info(files_url: str, checksums: dict) -> dict:
    """stack.json's `images`: where the file server serves make_files' test images."""
    return {
        "qcow2_url": f"{files_url}/images/test.qcow2",
        "qcow2_sha256": checksums["qcow2_sha256"],
        "qcow2_sha256_url": f"{files_url}/images/test.qcow2.sha256sum",
        "raw_url": f"{files_url}/images/test.raw",
        "raw_md5": checksums["raw_md5"],
        "iso_url": f"{files_url}/images/live.iso",
    }


def make_files(root: Path) -> dict:
    """Agent images and test images served by the file server; returns their stack.json fields."""
    deploy, images = root / "deploy", root / "images"
    deploy.mkdir(parents=True, exist_ok=True)
    images.mkdir(parents=True, exist_ok=True)
    (deploy / "ipa.kernel").write_bytes(b"m3stack dummy deploy kernel\n")
    (deploy / "ipa.initramfs").write_bytes(b"m3stack dummy deploy ramdisk\n")
    (deploy / "ipa.iso").write_bytes(b"m3stack dummy deploy iso\n" + bytes(2048))

    qcow2 = images / "test.qcow2"
    if shutil.which("qemu-img"):
        qcow2.unlink(missing_ok=True)
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(qcow2), "64M"], check=True)
    else:  # a qcow2 header is enough for the fake deploy interface
        qcow2.write_bytes(b"QFI\xfb" + bytes(508))
    qcow2_sha256 = hashlib.sha256(qcow2.read_bytes()).hexdigest()
    (images / "test.qcow2.sha256sum").write_text(f"{qcow2_sha256}  test.qcow2\n")

    raw = images / "test.raw"
    raw.write_bytes(b"m3stack raw image\n" + bytes(1024 * 1024))
    raw_md5 = hashlib.md5(raw.read_bytes()).hexdigest()
    (images / "test.raw.md5sum").write_text(f"{raw_md5}  test.raw\n")

    (images / "live.iso").write_bytes(b"m3stack live iso\n" + bytes(64 * 1024))
    return {"qcow2_sha256": qcow2_sha256, "raw_md5": raw_md5}


def fake_systems() -> list:
    systems = []
    for i in range(FAKE_SYSTEM_COUNT):
        mac = "52:54:00:" + ":".join(f"{b:02x}" for b in secrets.token_bytes(3))
        systems.append({"uuid": str(uuid.uuid4()), "name": f"m3-fake-{i}", "mac": mac})
    return systems


def write_sushy_config(path: Path, port: int, auth_file: Path, systems: list) -> None:
    fake = [
        {
            "uuid": s["uuid"],
            "name": s["name"],
            "power_state": "Off",
            "nics": [{"mac": s["mac"], "ip": f"172.22.0.{100 + i}"}],
        }
        for i, s in enumerate(systems)
    ]
    path.write_text(
        "# Written by m3stack: sushy-tools with its fake driver (no libvirt).\n"
        "SUSHY_EMULATOR_LISTEN_IP = '127.0.0.1'\n"
        f"SUSHY_EMULATOR_LISTEN_PORT = {port}\n"
        "SUSHY_EMULATOR_SSL_CERT = None\n"
        "SUSHY_EMULATOR_SSL_KEY = None\n"
        f"SUSHY_EMULATOR_AUTH_FILE = {str(auth_file)!r}\n"
        "SUSHY_EMULATOR_FAKE_DRIVER = True\n"
        f"SUSHY_EMULATOR_FAKE_SYSTEMS = {fake!r}\n"
    )


def use_write_ahead_log(db: Path) -> None:
    """Readers no longer wait for a writer's commit, nor a writer for readers (the mode is kept in
    the file). With the default rollback journal, fifty clients reading while hosts changed state
    made Ironic's writes fail with "database is locked" and retry after up to a second."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")


class Stack:
    def __init__(self, state_dir: Path, inspect_wait_timeout: int = 60):
        """`inspect_wait_timeout`: Ironic's limit for an inspection, in seconds; tests keep 60 so a
        host nobody inspects fails within their patience."""
        self.dir = state_dir.resolve()
        self.inspect_wait_timeout = inspect_wait_timeout
        self.procs = ProcessTable(self.dir)
        self.stack_json = self.dir / "stack.json"

    # ---- up ---------------------------------------------------------------------------------
    def up(self) -> dict:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.procs.load():
            if self.stack_json.exists() and self.healthy():
                log(f"already up: {self.stack_json}")
                return json.loads(self.stack_json.read_text())
            log("stopping leftovers of an earlier stack")
            self.down()
        started = time.monotonic()
        try:
            info = self._start()
        except BaseException:
            log("startup failed; stopping what was started. Logs: " + str(self.dir / "logs"))
            self._print_log_tails()
            self.down()
            raise
        log(f"up in {time.monotonic() - started:.1f}s: {self.stack_json}")
        return info

    def _start(self) -> dict:
        d = self.dir
        for stale in ("ironic-noauth", "ironic-basic", "files", "posted", "logs", "stack.json"):
            p = d / stale
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        (d / "logs").mkdir()
        (d / "posted").mkdir()
        (d / "inventories").mkdir(exist_ok=True)  # kept across restarts: tests may pre-seed it

        ports = {name: free_port() for name in ("files", "noauth", "basic", "sushy")}
        files_url = f"http://127.0.0.1:{ports['files']}"
        checksums = make_files(d / "files")
        kernel_url = f"{files_url}/deploy/ipa.kernel"
        ramdisk_url = f"{files_url}/deploy/ipa.initramfs"

        basic_user, basic_password = "m3test", secrets.token_urlsafe(18)
        write_htpasswd(d / "ironic-basic.htpasswd", basic_user, basic_password)
        redfish_user, redfish_password = "admin", secrets.token_urlsafe(18)
        write_htpasswd(d / "sushy.htpasswd", redfish_user, redfish_password)

        confs = {}
        for name, htpasswd in (("noauth", None), ("basic", d / "ironic-basic.htpasswd")):
            confs[name] = write_ironic_config(
                home=d / f"ironic-{name}",
                port=ports[name],
                file_server_url=files_url,
                http_subdir=f"httpboot-{name}",
                http_root=d / "files" / f"httpboot-{name}",
                deploy_kernel_url=kernel_url,
                deploy_ramdisk_url=ramdisk_url,
                htpasswd=htpasswd,
                inspect_wait_timeout=self.inspect_wait_timeout,
            )

        env = dict(os.environ)
        env.pop("TF_CLI_CONFIG_FILE", None)
        py = sys.executable
        self.procs.start("fileserver", [py, "-m", "m3stack.fileserver", "--root", str(d / "files"),
                                        "--port", str(ports["files"])], env=env)
        # Both schemas at once: they are independent and each takes a few seconds.
        dbsyncs = [
            subprocess.Popen([venv_bin("ironic-dbsync"), "--config-file", str(conf), "create_schema"],
                             stdout=open(d / "logs" / f"dbsync-{name}.log", "wb"), stderr=subprocess.STDOUT)
            for name, conf in confs.items()
        ]
        systems = fake_systems()
        write_sushy_config(d / "sushy.conf", ports["sushy"], d / "sushy.htpasswd", systems)
        self.procs.start("sushy", [venv_bin("sushy-emulator"), "--config", str(d / "sushy.conf")], env=env)
        for name, proc in zip(confs, dbsyncs):
            if proc.wait() != 0:
                raise RuntimeError(f"ironic-dbsync for {name} failed: see logs/dbsync-{name}.log")
            use_write_ahead_log(sqlite_path(d / f"ironic-{name}"))
        for name, conf in confs.items():
            self.procs.start(f"ironic-{name}", [py, *IRONIC_MAIN, "--config-file", str(conf)], env=env)

        info = {
            "ironic_url": f"http://127.0.0.1:{ports['noauth']}",
            "ironic_basic_url": f"http://127.0.0.1:{ports['basic']}",
            "ironic_basic_username": basic_user,
            "ironic_basic_password": basic_password,
            "redfish_url": f"http://127.0.0.1:{ports['sushy']}",
            "redfish_username": redfish_user,
            "redfish_password": redfish_password,
            "redfish_systems": systems,
            "file_server_url": files_url,
            "deploy_kernel_url": kernel_url,
            "deploy_ramdisk_url": ramdisk_url,
            "deploy_iso_url": f"{files_url}/deploy/ipa.iso",
            "images": images_info(files_url, checksums),
            "inventories_dir": str(d / "inventories"),
            "posted_dir": str(d / "posted"),
            "log_dir": str(d / "logs"),
        }
        agent_conf = d / "agent.json"
        agent_conf.write_text(json.dumps({
            "ironics": [
                {"url": info["ironic_url"], "db": str(sqlite_path(d / "ironic-noauth"))},
                {"url": info["ironic_basic_url"], "username": basic_user, "password": basic_password,
                 "db": str(sqlite_path(d / "ironic-basic"))},
            ],
            "inventories_dir": info["inventories_dir"],
            "posted_dir": info["posted_dir"],
            # A node entering `inspect wait` changes the database: the agent notices within 0.1 s
            # and asks Ironic then, every 0.5 s while a node waits unanswered, and every 10 s in
            # case a change went unnoticed (an idle Ironic writes nothing).
            "interval": 0.5,
            "idle_interval": 10.0,
            # Answers at once: fifty hosts answered one by one outlasted Ironic's inspect_wait_timeout.
            "workers": 16,
        }, indent=2))
        agent_conf.chmod(0o600)
        self.procs.start("agent", [py, "-m", "m3stack.agent", "--config", str(agent_conf)], env=env)

        self._wait_ready(info)
        tmp = self.stack_json.with_suffix(".tmp")
        tmp.write_text(json.dumps(info, indent=2) + "\n")
        tmp.chmod(0o600)
        tmp.replace(self.stack_json)
        return info

    def _wait_ready(self, info: dict) -> None:
        checks = {
            "file server": lambda: _get(f"{info['deploy_kernel_url']}"),
            "sushy-tools": lambda: _get(f"{info['redfish_url']}/redfish/v1/Systems",
                                        auth=(info["redfish_username"], info["redfish_password"])),
            "ironic (noauth)": lambda: _drivers_loaded(info["ironic_url"], None),
            "ironic (http_basic)": lambda: _drivers_loaded(
                info["ironic_basic_url"], (info["ironic_basic_username"], info["ironic_basic_password"])),
        }
        pending = dict(checks)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while pending:
            dead = set(self.procs.load()) - set(self.procs.alive())
            if dead:
                raise RuntimeError(f"exited during startup: {', '.join(sorted(dead))}")
            for name, check in list(pending.items()):
                if check():
                    log(f"{name} ready")
                    del pending[name]
            if time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {STARTUP_TIMEOUT:.0f}s: {', '.join(pending)}")
            time.sleep(0.3)

    def _print_log_tails(self) -> None:
        for path in sorted((self.dir / "logs").glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()[-15:]
            if lines:
                log(f"---- {path.name} (last lines)")
                for line in lines:
                    print("    " + line, file=sys.stderr)

    # ---- faults ---------------------------------------------------------------------------------
    def restart_ironic(self, instance: str = "noauth", sig: int = signal.SIGTERM,
                       down_for: float = 0.0, while_down=None) -> float:
        """Stops one Ironic (`noauth` or `basic`) with `sig` (SIGTERM: a graceful stop; SIGKILL:
        a crash), keeps it down `down_for` seconds, calls `while_down(database_path)` if given
        (to leave a node as a crash would, in a transient state), starts it again on the same
        port and database, and waits until it serves its drivers. Returns how long it was
        unavailable."""
        name = f"ironic-{instance}"
        conf = self.dir / name / "ironic.conf"
        info = json.loads(self.stack_json.read_text())
        url, auth = ((info["ironic_url"], None) if instance == "noauth" else
                     (info["ironic_basic_url"], (info["ironic_basic_username"], info["ironic_basic_password"])))
        started = time.monotonic()
        try:
            self.procs.signal(name, sig)
        except RuntimeError as stuck:
            # A stop that does not end is still a stop: killed, so that the stack comes back for
            # the tests after this one whatever this one concludes.
            log(f"{stuck}; killing it")
            self.procs.signal(name, signal.SIGKILL, wait=15.0)
        time.sleep(down_for)
        if while_down:
            while_down(sqlite_path(self.dir / name))
        env = dict(os.environ)
        env.pop("TF_CLI_CONFIG_FILE", None)
        self.procs.start(name, [sys.executable, *IRONIC_MAIN, "--config-file", str(conf)], env=env)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _drivers_loaded(url, auth):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not ready {STARTUP_TIMEOUT:.0f}s after its restart")
            time.sleep(0.2)
        log(f"{name} restarted after signal {sig}")
        return time.monotonic() - started

    # ---- down / status ------------------------------------------------------------------------
    def down(self) -> list:
        stopped = self.procs.stop_all()
        if self.stack_json.exists():
            self.stack_json.unlink()
        return stopped

    def healthy(self) -> bool:
        recorded, alive = self.procs.load(), self.procs.alive()
        if not recorded or set(recorded) != set(alive) or not self.stack_json.exists():
            return False
        info = json.loads(self.stack_json.read_text())
        return _get(f"{info['ironic_url']}/") and _get(f"{info['file_server_url']}/")

    def status(self) -> dict:
        recorded, alive = self.procs.load(), self.procs.alive()
        return {name: ("running" if name in alive else "dead") + f" (pid {pid})"
                for name, pid in sorted(recorded.items())}


def _get(url: str, auth=None) -> bool:
    try:
        return requests.get(url, auth=auth, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _drivers_loaded(url: str, auth) -> bool:
    """The API answers and the conductor has registered both hardware types."""
    try:
        resp = requests.get(f"{url}/v1/drivers", auth=auth, timeout=2,
                            headers={"X-OpenStack-Ironic-API-Version": "latest"})
        if resp.status_code != 200:
            return False
        names = {d["name"] for d in resp.json().get("drivers", [])}
        return {"fake-hardware", "redfish"} <= names
    except (requests.RequestException, ValueError, KeyError):
        return False
