"""A scaled-out Ironic in a state directory: PostgreSQL, one API, conductors in groups.

    python -m m3stack cluster up|down|status --dir DIR
    python -m m3stack cluster stop-conductor|start-conductor NAME --dir DIR
    python -m m3stack cluster enroll GROUP --count N --dir DIR   (idle load for sizing measurements)

Ironic scales by running several `ironic-conductor` processes on one shared database, each in a
`[conductor] conductor_group`; the API routes a node's requests to a conductor of the node's group.
Here: a PostgreSQL server of its own (SQLite cannot be shared between processes), `ironic-api`
alone, and one conductor per entry of CONDUCTORS, reached by JSON-RPC on its own loopback port. The
hardware configuration is the single-process stack's (ironic_conf.py), with fake-hardware hosts
inspected by the stand-in agent. DIR/cluster.json describes it for tests.
"""

import argparse
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import requests

from m3stack.ironic_conf import write_ironic_config
from m3stack.processes import ProcessTable, _group_alive, _reap, _signal_group
from m3stack.stack import free_port, images_info, ironic_main, log, make_files, venv_bin

# (process name, conductor group)
CONDUCTORS = (("conductor-a", "rack-a"), ("conductor-b", "rack-b"))
STARTUP_TIMEOUT = 120.0
# The API rebuilds its map of conductors this often (Ironic's default is 15 s); a stopped
# conductor's group is then reported as having none.
HASH_RING_RESET_INTERVAL = 5
DB_NAME = DB_USER = "ironic"
# PostgreSQL refuses to run as root: when we are root it runs as the first of these users that
# exists (Debian's package creates `postgres`), else the last is created.
PG_USERS = ("postgres", "m3stack-pg")
API_HEADERS = {"X-OpenStack-Ironic-API-Version": "latest"}


# ---- PostgreSQL -------------------------------------------------------------------------------

def pg_bindir() -> Path:
    """The directory holding initdb and postgres: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "postgres").exists():
            return bindir
    raise RuntimeError("no PostgreSQL server found (initdb, postgres): scripts/bootstrap.sh installs "
                       "Debian's postgresql package")


def pg_account() -> tuple[list, int, int] | None:
    """(argv prefix, uid, gid) to run PostgreSQL as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return None
    for name in PG_USERS:
        try:
            user = pwd.getpwnam(name)
            break
        except KeyError:
            continue
    else:
        name = PG_USERS[-1]
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", name], check=True)
        user = pwd.getpwnam(name)
    # setpriv execs the server in place, so the recorded pid is the postmaster's.
    prefix = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", "--"]
    return prefix, user.pw_uid, user.pw_gid


def pg_init(base: Path, password: str) -> tuple[Path, list]:
    """initdb into base/data; returns the data directory and the argv prefix to run as."""
    account = pg_account()
    prefix = account[0] if account else []
    data, pwfile = base / "data", base / "pwfile"
    pwfile.write_text(password + "\n")
    pwfile.chmod(0o600)
    if account:
        for path in (base, pwfile):
            os.chown(path, account[1], account[2])
    initdb = [str(pg_bindir() / "initdb"), "-D", str(data), "-U", DB_USER, f"--pwfile={pwfile}",
              "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]
    result = subprocess.run(prefix + initdb, capture_output=True, text=True)
    pwfile.unlink()
    if result.returncode != 0:
        raise RuntimeError(f"initdb failed: {result.stdout}{result.stderr}")
    return data, prefix


def pg_server_argv(prefix: list, data: Path, port: int) -> list:
    # A throwaway test database: durability settings off, loopback TCP only, no unix socket.
    settings = {
        "listen_addresses": "127.0.0.1", "port": port, "unix_socket_directories": "",
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
        "max_connections": 200, "shared_buffers": "64MB",
    }
    argv = prefix + [str(pg_bindir() / "postgres"), "-D", str(data)]
    for key, value in settings.items():
        argv += ["-c", f"{key}={value}"]
    return argv


def pg_create_database(port: int, password: str, deadline: float) -> None:
    while True:
        try:
            conn = psycopg2.connect(host="127.0.0.1", port=port, user=DB_USER, password=password,
                                    dbname="postgres", connect_timeout=2)
            break
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not accept connections: see logs/postgres.log")
            time.sleep(0.2)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE {DB_NAME}")
    finally:
        conn.close()


# ---- the cluster ------------------------------------------------------------------------------

class Cluster:
    def __init__(self, state_dir: Path, conductors: tuple = CONDUCTORS, inspect_wait_timeout: int = 60):
        """`conductors`: (process name, conductor group) of each conductor; a group of "" serves
        the nodes without one. `inspect_wait_timeout`: as for the single-process Stack."""
        self.conductors = conductors
        self.inspect_wait_timeout = inspect_wait_timeout
        self.dir = state_dir.resolve()
        self.procs = ProcessTable(self.dir)
        self.cluster_json = self.dir / "cluster.json"
        # A link to the database's directory, which lives under the system's temporary directory:
        # PostgreSQL's user must be able to reach it, and DIR's ancestors may not let it.
        self.pg_link = self.dir / "pgdata"

    def info(self) -> dict:
        return json.loads(self.cluster_json.read_text())

    def up(self) -> dict:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.procs.load():
            if self.healthy():
                log(f"cluster already up: {self.cluster_json}")
                return self.info()
            log("stopping leftovers of an earlier cluster")
            self.down()
        started = time.monotonic()
        try:
            info = self._start(started + STARTUP_TIMEOUT)
        except BaseException:
            log("cluster startup failed; stopping what was started. Logs: " + str(self.dir / "logs"))
            self._print_log_tails()
            self.down()
            raise
        log(f"cluster up in {time.monotonic() - started:.1f}s: {self.cluster_json}")
        return info

    def _start(self, deadline: float) -> dict:
        d = self.dir
        for stale in ("api", *(name for name, _ in self.conductors), "files", "posted", "logs", "cluster.json"):
            path = d / stale
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        self._remove_database()
        (d / "logs").mkdir()
        (d / "posted").mkdir()
        (d / "inventories").mkdir(exist_ok=True)  # kept across restarts: tests may pre-seed it

        env = dict(os.environ)
        env.pop("TF_CLI_CONFIG_FILE", None)
        py = sys.executable
        ports = {name: free_port() for name in ("api", "files", "db", *(n for n, _ in self.conductors))}

        # The database first: everything else waits for it.
        password = os.urandom(18).hex()
        base = Path(tempfile.mkdtemp(prefix="m3cluster-pg-"))
        self.pg_link.symlink_to(base)
        data, prefix = pg_init(base, password)
        self.procs.start("postgres", pg_server_argv(prefix, data, ports["db"]), env=env)

        files_url = f"http://127.0.0.1:{ports['files']}"
        images = make_files(d / "files")
        self.procs.start("fileserver", [py, "-m", "m3stack.fileserver", "--root", str(d / "files"),
                                        "--port", str(ports["files"])], env=env)
        api_url = f"http://127.0.0.1:{ports['api']}"
        common = dict(
            port=ports["api"],  # conductors give the agent the API's URL from it
            file_server_url=files_url,
            deploy_kernel_url=f"{files_url}/deploy/ipa.kernel",
            deploy_ramdisk_url=f"{files_url}/deploy/ipa.initramfs",
            htpasswd=None,
            database_url=f"postgresql+psycopg2://{DB_USER}:{password}@127.0.0.1:{ports['db']}/{DB_NAME}",
            rpc_transport="json-rpc",
            hash_ring_reset_interval=HASH_RING_RESET_INTERVAL,
            inspect_wait_timeout=self.inspect_wait_timeout,
        )
        api_conf = write_ironic_config(home=d / "api", host="m3cluster-api", http_subdir="httpboot-api",
                                       http_root=d / "files" / "httpboot-api", **common)
        conductors = []
        for name, group in self.conductors:
            # Ironic registers a conductor as host:port when its JSON-RPC port is not the default,
            # and the API calls it at that address: host must be where it listens.
            conf = write_ironic_config(home=d / name, host="127.0.0.1", conductor_group=group,
                                       json_rpc_port=ports[name], http_subdir=f"httpboot-{name}",
                                       http_root=d / "files" / f"httpboot-{name}", **common)
            conductors.append({"name": name, "group": group, "hostname": f"127.0.0.1:{ports[name]}",
                               "json_rpc_port": ports[name], "config": str(conf),
                               "log": str(d / "logs" / f"{name}.log")})
        for conf in [api_conf] + [Path(c["config"]) for c in conductors]:
            conf.chmod(0o600)  # holds the database password

        pg_create_database(ports["db"], password, deadline)
        with open(d / "logs" / "dbsync.log", "wb") as dbsync_log:
            dbsync = subprocess.run([venv_bin("ironic-dbsync"), "--config-file", str(api_conf), "create_schema"],
                                    stdout=dbsync_log, stderr=subprocess.STDOUT)
        if dbsync.returncode != 0:
            raise RuntimeError("ironic-dbsync failed: see logs/dbsync.log")
        # The single-process stack's fixes to Ironic's web server apply to the API alone too.
        self.procs.start("ironic-api", [sys.executable, *ironic_main("api", "ironic-api"),
                                        "--config-file", str(api_conf)], env=env)
        for conductor in conductors:
            self._start_conductor(conductor, env)

        info = {
            "ironic_url": api_url,
            "file_server_url": files_url,
            "deploy_kernel_url": common["deploy_kernel_url"],
            "deploy_ramdisk_url": common["deploy_ramdisk_url"],
            "deploy_iso_url": f"{files_url}/deploy/ipa.iso",
            "images": images_info(files_url, images),
            "conductors": conductors,
            "database": {"engine": "postgresql", "host": "127.0.0.1", "port": ports["db"], "name": DB_NAME,
                         "user": DB_USER, "server": str(pg_bindir() / "postgres"), "data_dir": str(data)},
            "hash_ring_reset_interval": HASH_RING_RESET_INTERVAL,
            "api_log": str(d / "logs" / "ironic-api.log"),
            "inventories_dir": str(d / "inventories"),
            "posted_dir": str(d / "posted"),
            "log_dir": str(d / "logs"),
            "state_dir": str(d),
        }
        agent_conf = d / "agent.json"
        agent_conf.write_text(json.dumps({
            "ironics": [{"url": api_url}],
            "inventories_dir": info["inventories_dir"],
            "posted_dir": info["posted_dir"],
            "interval": 0.5,
            "idle_interval": 1.0,
        }, indent=2))
        self.procs.start("agent", [py, "-m", "m3stack.agent", "--config", str(agent_conf)], env=env)

        self._wait_conductors(api_url, conductors, deadline)
        tmp = self.cluster_json.with_suffix(".tmp")
        tmp.write_text(json.dumps(info, indent=2) + "\n")
        tmp.chmod(0o600)
        tmp.replace(self.cluster_json)
        return info

    def _start_conductor(self, conductor: dict, env: dict | None = None) -> None:
        self.procs.start(conductor["name"], [sys.executable, *ironic_main("conductor", "ironic-conductor"),
                                             "--config-file", conductor["config"]], env=env)

    def _wait_conductors(self, api_url: str, conductors: list, deadline: float) -> None:
        """Until the API answers and lists every conductor alive, in its group, with fake-hardware."""
        wanted = {c["hostname"]: c["group"] for c in conductors}
        while True:
            dead = set(self.procs.load()) - set(self.procs.alive())
            if dead:
                raise RuntimeError(f"exited during startup: {', '.join(sorted(dead))}")
            if wanted.items() <= alive_conductors(api_url).items():
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"conductors not registered in time: {sorted(wanted)}")
            time.sleep(0.3)

    # ---- one conductor at a time (failure tests) ----------------------------------------------
    def conductor(self, name: str) -> dict:
        for conductor in self.info()["conductors"]:
            if conductor["name"] == name:
                return conductor
        raise KeyError(f"no conductor {name!r} in {self.cluster_json}")

    def stop_conductor(self, name: str, grace: float = 30.0) -> None:
        """Stops one conductor cleanly (SIGTERM: it deregisters itself), killing it after `grace`."""
        self.conductor(name)
        self._stop([name], signal.SIGTERM, grace)

    def start_conductor(self, name: str, timeout: float = 60.0) -> None:
        """Starts a stopped conductor again and waits until the API lists it alive."""
        conductor = self.conductor(name)
        if name in self.procs.alive():
            return
        env = dict(os.environ)
        env.pop("TF_CLI_CONFIG_FILE", None)
        self._start_conductor(conductor, env)
        self._wait_conductors(self.info()["ironic_url"], [conductor], time.monotonic() + timeout)

    def _stop(self, names: list, sig: int, grace: float) -> None:
        table = self.procs.load()
        pids = [table[n] for n in names if n in table]
        for pid in pids:
            _signal_group(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(_group_alive(p) for p in pids):
            time.sleep(0.1)
        for pid in pids:
            if _group_alive(pid):
                _signal_group(pid, signal.SIGKILL)
            _reap(pid)
        # Forget them: a recorded pid could be reused by another process.
        table = self.procs.load()
        for name in names:
            table.pop(name, None)
        self.procs._save(table)

    # ---- down / status ------------------------------------------------------------------------
    def down(self) -> list:
        recorded = sorted(self.procs.load())
        # Ironic first, so the database sees its clients leave; then a fast shutdown of PostgreSQL.
        self._stop([n for n in recorded if n != "postgres"], signal.SIGTERM, 10.0)
        self._stop(["postgres"], signal.SIGINT, 10.0)
        self.procs.stop_all()
        self._remove_database()
        if self.cluster_json.exists():
            self.cluster_json.unlink()
        return recorded

    def _remove_database(self) -> None:
        if self.pg_link.is_symlink():
            shutil.rmtree(os.readlink(self.pg_link), ignore_errors=True)
            self.pg_link.unlink()

    def healthy(self) -> bool:
        recorded, alive = self.procs.load(), self.procs.alive()
        if not recorded or set(recorded) != set(alive) or not self.cluster_json.exists():
            return False
        info = self.info()
        wanted = {c["hostname"]: c["group"] for c in info["conductors"]}
        return wanted.items() <= alive_conductors(info["ironic_url"]).items()

    def status(self) -> dict:
        recorded, alive = self.procs.load(), self.procs.alive()
        return {name: ("running" if name in alive else "dead") + f" (pid {pid})"
                for name, pid in sorted(recorded.items())}

    def _print_log_tails(self) -> None:
        for path in sorted((self.dir / "logs").glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()[-15:]
            if lines:
                log(f"---- {path.name} (last lines)")
                for line in lines:
                    print("    " + line, file=sys.stderr)


def alive_conductors(api_url: str) -> dict:
    """hostname -> conductor group of the conductors the API lists alive with fake-hardware."""
    try:
        resp = requests.get(f"{api_url}/v1/conductors", params={"detail": "true"}, headers=API_HEADERS,
                            timeout=5)
        if resp.status_code != 200:
            return {}
        return {c["hostname"]: c["conductor_group"] for c in resp.json()["conductors"]
                if c.get("alive") and "fake-hardware" in c.get("drivers", [])}
    except (requests.RequestException, ValueError, KeyError):
        return {}


def enroll(api_url: str, group: str, count: int) -> None:
    """`count` fake-hardware nodes in `group`, made `manageable`: idle hosts whose power the group's
    conductor syncs (Ironic skips nodes in `enroll`). The cluster's database goes with `down`."""
    http = requests.Session()
    http.headers.update(API_HEADERS)

    def one(suffix: str) -> None:
        resp = http.post(f"{api_url}/v1/nodes", json={"name": f"load-{group}-{suffix}", "driver": "fake-hardware",
                                                      "conductor_group": group}, timeout=60)
        resp.raise_for_status()
        uuid = resp.json()["uuid"]
        http.put(f"{api_url}/v1/nodes/{uuid}/states/provision", json={"target": "manage"},
                 timeout=60).raise_for_status()
        deadline = time.monotonic() + 120
        while http.get(f"{api_url}/v1/nodes/{uuid}", params={"fields": "provision_state"},
                       timeout=60).json()["provision_state"] != "manageable":
            if time.monotonic() > deadline:
                raise RuntimeError(f"node load-{group}-{suffix} did not become manageable")
            time.sleep(0.5)

    batch = os.urandom(3).hex()  # names stay unique when enrolling again
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, (f"{batch}-{i}" for i in range(count))))


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(prog="m3stack cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status", "stop-conductor", "start-conductor", "enroll"])
    parser.add_argument("name", nargs="?", help="conductor name (stop-conductor, start-conductor) or group (enroll)")
    parser.add_argument("--dir", required=True, type=Path, help="state directory (cluster.json, logs, pids)")
    parser.add_argument("--count", type=int, default=100, help="nodes to enroll")
    args = parser.parse_args(argv)
    cluster = Cluster(args.dir)
    if args.command == "enroll":
        if not args.name:
            parser.error(f"enroll needs a group: {', '.join(g for _, g in CONDUCTORS)}")
        started = time.monotonic()
        enroll(cluster.info()["ironic_url"], args.name, args.count)
        log(f"enrolled {args.count} nodes in {args.name} in {time.monotonic() - started:.0f}s")
        return 0
    if args.command in ("stop-conductor", "start-conductor"):
        if not args.name:
            parser.error(f"{args.command} needs a conductor name: {', '.join(n for n, _ in CONDUCTORS)}")
        (cluster.stop_conductor if args.command == "stop-conductor" else cluster.start_conductor)(args.name)
        log(f"{args.command}: {args.name} done")
        return 0
    if args.name:
        parser.error(f"{args.command} takes no name")
    if args.command == "up":
        cluster.up()
        print(cluster.cluster_json)
        return 0
    if args.command == "down":
        stopped = cluster.down()
        log("stopped " + (", ".join(stopped) if stopped else "nothing (no cluster recorded)"))
        return 0
    status = cluster.status()
    print(json.dumps(status, indent=2))
    return 0 if status and cluster.healthy() else 1
