"""Stand-in for ironic-python-agent's inspection (run as its own process).

Every node that sits in `inspect wait` on one of the Ironics gets an inventory POSTed to
`/v1/continue_inspection`: `inventories_dir/<mac>.json` when present (either a full
`{"inventory": ..., "root_disk": ...}` document or a bare inventory), else one generated from the
MAC. What was posted is written to `posted_dir/<mac>.json`. A file `inventories_dir/<mac>.hold`
makes the agent leave that MAC's node waiting in `inspect wait` until the file is removed.

Answers go out from a pool of `workers` threads: a fleet enrolled at once must be answered well
within Ironic's inspect_wait_timeout, and each answer takes an Ironic a fraction of a second.

Finding the waiting nodes costs each Ironic an API request, so the agent asks only when it has a
reason to: the Ironic's database changed (`db`, its sqlite file: a node may have entered
`inspect wait`), the inventories directory changed (a hold removed), a node it has not answered
yet and does not hold is waiting (every `interval` seconds), or `idle_interval` seconds passed.
Without `db` it asks every `idle_interval` seconds.
"""

import argparse
import json
import os
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import requests

from m3stack.inventory import generate_inventory, normalize_mac

API_VERSION = {"X-OpenStack-Ironic-API-Version": "latest"}
RETRY_AFTER_FAILURE = 2.0
# How often the database and the inventories directory are looked at (a stat each: cheap).
TICK = 0.1
# While a database keeps changing (a fleet at work), its Ironic is asked at most this often.
CHANGED_GAP = 0.25


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} agent: {msg}", flush=True)


def load_document(inventories_dir: Path, mac: str) -> dict:
    path = inventories_dir / f"{mac}.json"
    if not path.exists():
        return generate_inventory(mac)
    doc = json.loads(path.read_text())
    if "inventory" not in doc:
        doc = {"inventory": doc}
    return doc


def write_atomically(path: Path, doc: dict) -> None:
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True))
    os.replace(tmp, path)


def choose_mac(ports: list) -> str | None:
    """The PXE-enabled port with the lowest address (deterministic), else the lowest address."""
    if not ports:
        return None
    ports = sorted(ports, key=lambda p: (not p.get("pxe_enabled", True), normalize_mac(p["address"])))
    return normalize_mac(ports[0]["address"])


def signature(*paths: Path) -> tuple:
    """What changes when any of `paths` is written. An empty file counts as absent: sqlite creates
    an empty write-ahead log for a reader and deletes it after, and reads must not bring polls."""
    sig = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            st = None
        sig.append((st.st_mtime_ns, st.st_size) if st and st.st_size else None)
    return tuple(sig)


class Watched:
    """One Ironic: where to reach it, what its database looked like, when it was last asked."""

    def __init__(self, ironic: dict):
        self.url = ironic["url"]
        self.auth = (ironic["username"], ironic["password"]) if ironic.get("username") else None
        db = Path(ironic["db"]) if ironic.get("db") else None
        # sqlite writes the file itself, its rollback journal or its write-ahead log.
        self.db_files = (db, db.with_name(db.name + "-journal"), db.with_name(db.name + "-wal")) if db else ()
        self.db_seen: tuple | None = None
        self.dir_seen: tuple | None = None
        self.asked_at = float("-inf")
        self.waiting = False  # a node we have not answered yet was in `inspect wait` when last asked


class Agent:
    def __init__(self, config: dict):
        self.ironics = [Watched(i) for i in config["ironics"]]
        self.inventories_dir = Path(config["inventories_dir"])
        self.posted_dir = Path(config["posted_dir"])
        self.interval = config.get("interval", 0.5)
        self.idle_interval = config.get("idle_interval", 1.0)
        self.pool = ThreadPoolExecutor(max_workers=config.get("workers", 16), thread_name_prefix="answer")
        self.local = threading.local()
        # (ironic url, node uuid, inspection_started_at) -> True when done, the hold file while
        # held, or the time of the last failure. Only the main thread touches these two.
        self.attempts: dict = {}
        self.answering: dict[tuple, Future] = {}

    def run_forever(self) -> None:
        log(f"watching {[i.url for i in self.ironics]}")
        while True:
            now = time.monotonic()
            directory = signature(self.inventories_dir)
            for ironic in self.ironics:
                database = signature(*ironic.db_files)
                if database != ironic.db_seen or directory != ironic.dir_seen:
                    gap = CHANGED_GAP
                else:
                    gap = self.interval if ironic.waiting else self.idle_interval
                if now < ironic.asked_at + gap:
                    continue
                # Seen before asking: a change while the request is under way triggers another.
                ironic.db_seen, ironic.dir_seen, ironic.asked_at = database, directory, now
                try:
                    ironic.waiting = self.poll(ironic)
                except (requests.RequestException, ValueError) as exc:
                    log(f"{ironic.url}: {exc.__class__.__name__}")
                    ironic.waiting = True
            time.sleep(TICK)

    def poll(self, ironic: Watched) -> bool:
        """Starts answers for the nodes waiting in `inspect wait`; returns whether any is not settled."""
        self.collect()
        resp = self.session().get(
            f"{ironic.url}/v1/nodes",
            params={"provision_state": "inspect wait", "fields": "uuid,inspection_started_at"},
            auth=ironic.auth,
            timeout=30,
        )
        resp.raise_for_status()
        keys = {(ironic.url, n["uuid"], n.get("inspection_started_at")) for n in resp.json().get("nodes", [])}
        # Nodes no longer waiting are forgotten; a new inspection has a new inspection_started_at.
        for key in [k for k in self.attempts if k[0] == ironic.url and k not in keys]:
            del self.attempts[key]
        for key in keys:
            last = self.attempts.get(key)
            if key in self.answering or last is True:
                continue
            if isinstance(last, Path) and last.exists():
                continue  # removing the file changes the directory, which brings a new poll
            if isinstance(last, float) and time.monotonic() - last < RETRY_AFTER_FAILURE:
                continue
            self.answering[key] = self.pool.submit(self.inspect, ironic, key[1])
        return not all(map(self.settled, keys))

    def settled(self, key: tuple) -> bool:
        """Answered, or held: a held node needs no polling, removing its hold file brings a poll."""
        last = self.attempts.get(key)
        return key not in self.answering and (last is True or isinstance(last, Path))

    def collect(self) -> None:
        """Records the answers that finished."""
        for key, future in list(self.answering.items()):
            if not future.done():
                continue
            del self.answering[key]
            try:
                outcome = future.result()
            except Exception as exc:  # a worker's failure must not stop the agent
                log(f"node {key[1]}: {exc.__class__.__name__}: {exc}")
                outcome = False
            self.attempts[key] = time.monotonic() if outcome is False else outcome

    def session(self) -> requests.Session:
        """One session per thread: a Session's connection pool is not meant to be shared."""
        http = getattr(self.local, "http", None)
        if http is None:
            http = self.local.http = requests.Session()
            http.headers.update(API_VERSION)
        return http

    def inspect(self, ironic: Watched, node_uuid: str) -> bool | Path:
        """Posts the node's inventory: True when done, the hold file when held, False on failure."""
        http, url = self.session(), ironic.url
        resp = http.get(f"{url}/v1/nodes/{node_uuid}/ports", params={"fields": "address,pxe_enabled"},
                        auth=ironic.auth, timeout=30)
        resp.raise_for_status()
        mac = choose_mac(resp.json().get("ports", []))
        if mac is None:
            log(f"node {node_uuid} has no port: cannot answer its inspection")
            return False
        hold = self.inventories_dir / f"{mac}.hold"
        if hold.exists():
            # Tests hold a node in `inspect wait` (e.g. to interrupt a waiting apply).
            return hold
        doc = load_document(self.inventories_dir, mac)
        post = http.post(f"{url}/v1/continue_inspection", json=doc, timeout=60)
        if post.status_code >= 300:
            log(f"node {node_uuid} mac {mac}: continue_inspection answered {post.status_code}: {post.text[:300]}")
            return False
        write_atomically(self.posted_dir / f"{mac}.json", doc)
        log(f"node {node_uuid} mac {mac}: inventory posted")
        return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True, help="JSON: ironics [{url, username?, password?, db?}], "
                        "inventories_dir, posted_dir, interval, idle_interval, workers")
    args = parser.parse_args()
    config = json.loads(Path(args.config).read_text())
    try:
        Agent(config).run_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
