"""Stand-in for ironic-python-agent's inspection (run as its own process).

Every node that sits in `inspect wait` on one of the Ironics gets an inventory POSTed to
`/v1/continue_inspection`: `inventories_dir/<mac>.json` when present (either a full
`{"inventory": ..., "root_disk": ...}` document or a bare inventory), else one generated from the
MAC. What was posted is written to `posted_dir/<mac>.json`. A file `inventories_dir/<mac>.hold`
makes the agent leave that MAC's node waiting in `inspect wait` until the file is removed.

The agent polls every `interval` seconds while inspections are under way (a node was waiting in
the last BUSY_FOR seconds), else every `idle_interval` seconds: each poll costs each Ironic an
API request, which made up half of an idle stack's CPU use at 0.5 s.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import requests

from m3stack.inventory import generate_inventory, normalize_mac

API_VERSION = {"X-OpenStack-Ironic-API-Version": "latest"}
RETRY_AFTER_FAILURE = 2.0
BUSY_FOR = 30.0


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
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True))
    os.replace(tmp, path)


def choose_mac(ports: list) -> str | None:
    """The PXE-enabled port with the lowest address (deterministic), else the lowest address."""
    if not ports:
        return None
    ports = sorted(ports, key=lambda p: (not p.get("pxe_enabled", True), normalize_mac(p["address"])))
    return normalize_mac(ports[0]["address"])


class Agent:
    def __init__(self, config: dict):
        self.ironics = config["ironics"]
        self.inventories_dir = Path(config["inventories_dir"])
        self.posted_dir = Path(config["posted_dir"])
        self.interval = config.get("interval", 0.5)
        self.idle_interval = config.get("idle_interval", 1.0)
        self.busy_until = 0.0
        self.http = requests.Session()
        self.http.headers.update(API_VERSION)
        # (ironic url, node uuid, inspection_started_at) -> True when done, or time of last failure
        self.attempts: dict = {}

    def run_forever(self) -> None:
        log(f"watching {[i['url'] for i in self.ironics]}")
        while True:
            for ironic in self.ironics:
                try:
                    if self.poll(ironic):
                        self.busy_until = time.monotonic() + BUSY_FOR
                except requests.RequestException as exc:
                    log(f"{ironic['url']}: {exc.__class__.__name__}")
            time.sleep(self.interval if time.monotonic() < self.busy_until else self.idle_interval)

    def poll(self, ironic: dict) -> bool:
        """Answers the nodes waiting in `inspect wait`; returns whether there were any."""
        url, auth = ironic["url"], _auth(ironic)
        resp = self.http.get(
            f"{url}/v1/nodes",
            params={"provision_state": "inspect wait", "fields": "uuid,inspection_started_at"},
            auth=auth,
            timeout=10,
        )
        resp.raise_for_status()
        nodes = resp.json().get("nodes", [])
        for node in nodes:
            key = (url, node["uuid"], node.get("inspection_started_at"))
            last = self.attempts.get(key)
            if last is True or (last and time.monotonic() - last < RETRY_AFTER_FAILURE):
                continue
            ok = self.inspect(url, auth, node["uuid"])
            self.attempts[key] = True if ok else time.monotonic()
        return bool(nodes)

    def inspect(self, url: str, auth, node_uuid: str) -> bool:
        resp = self.http.get(f"{url}/v1/nodes/{node_uuid}/ports", params={"fields": "address,pxe_enabled"},
                             auth=auth, timeout=10)
        resp.raise_for_status()
        mac = choose_mac(resp.json().get("ports", []))
        if mac is None:
            log(f"node {node_uuid} has no port: cannot answer its inspection")
            return False
        if (self.inventories_dir / f"{mac}.hold").exists():
            # Tests hold a node in `inspect wait` (e.g. to interrupt a waiting apply).
            return False
        doc = load_document(self.inventories_dir, mac)
        post = self.http.post(f"{url}/v1/continue_inspection", json=doc, timeout=30)
        if post.status_code >= 300:
            log(f"node {node_uuid} mac {mac}: continue_inspection answered {post.status_code}: {post.text[:300]}")
            return False
        write_atomically(self.posted_dir / f"{mac}.json", doc)
        log(f"node {node_uuid} mac {mac}: inventory posted")
        return True


def _auth(ironic: dict):
    if ironic.get("username"):
        return (ironic["username"], ironic["password"])
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True, help="JSON: ironics [{url, username?, password?}], "
                        "inventories_dir, posted_dir, interval, idle_interval")
    args = parser.parse_args()
    config = json.loads(Path(args.config).read_text())
    try:
        Agent(config).run_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
