"""python -m m3lab.phases [--lab-json F] [--namespace NS] -- COMMAND...: runs COMMAND while
watching the lab's Ironic nodes (every 2 s), then prints how long each node spent in each phase:
enrolment (enroll, verifying), inspection, cleaning, deployment, undeploy. The times come from
Ironic's provision states as they were seen, not from Terraform's output. Exits with COMMAND's
status."""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

# Ironic provision states by phase; the rest (manageable, available, active, ...) are resting states.
PHASES = {
    "enroll": ("enroll", "verifying"),
    "inspect": ("inspecting", "inspect wait"),
    "clean": ("cleaning", "clean wait"),
    "deploy": ("deploying", "wait call-back", "deploy wait"),
    "undeploy": ("deleting",),
    "adopt": ("adopting",),
}
PHASE_OF = {state: phase for phase, states in PHASES.items() for state in states}
POLL_SECONDS = 2.0


class Watcher:
    """Polls Ironic's node list and adds up, per node name, the seconds spent in each phase."""

    def __init__(self, url: str, auth: tuple, prefix: str = ""):
        self.url, self.auth, self.prefix = url.rstrip("/"), auth, prefix
        self.seconds: dict[str, dict[str, float]] = {}
        self.last_state: dict[str, str] = {}
        self.stop = threading.Event()

    def poll_once(self, elapsed: float) -> None:
        reply = requests.get(f"{self.url}/v1/nodes", params={"fields": "name,provision_state"},
                             auth=self.auth, headers={"X-OpenStack-Ironic-API-Version": "1.81"},
                             timeout=10)
        reply.raise_for_status()
        for node in reply.json()["nodes"]:
            name = node.get("name") or ""
            if not name.startswith(self.prefix):
                continue
            state = node["provision_state"]
            self.last_state[name] = state
            phase = PHASE_OF.get(state)
            if phase:
                per = self.seconds.setdefault(name, {})
                per[phase] = per.get(phase, 0.0) + elapsed

    def run(self) -> None:
        last = time.monotonic()
        while not self.stop.wait(POLL_SECONDS):
            now = time.monotonic()
            try:
                self.poll_once(now - last)
            except requests.RequestException as exc:  # a missed poll costs precision, not the run
                print(f"phases: could not read Ironic's nodes ({type(exc).__name__})", file=sys.stderr)
            last = now

    def table(self) -> str:
        names = sorted(set(self.seconds) | set(self.last_state))
        if not names:
            return "phases: no node seen"
        used = [p for p in PHASES if any(p in self.seconds.get(n, {}) for n in names)]
        head = ["node", *[f"{p} (s)" for p in used], "last state"]
        rows = [[n, *[f"{self.seconds.get(n, {}).get(p, 0):.0f}" if p in self.seconds.get(n, {}) else "-"
                      for p in used], self.last_state.get(n, "(deleted)")] for n in names]
        widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
        return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in [head, *rows])


def main() -> int:
    parser = argparse.ArgumentParser(prog="m3lab.phases", description=__doc__)
    parser.add_argument("--lab-json", default=str(Path(os.environ.get("LAB_DIR", ".work/lab")) / "lab.json"))
    parser.add_argument("--namespace", default="", help="only nodes named <namespace>~...")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    lab = json.loads(Path(args.lab_json).read_text())
    prefix = f"{args.namespace}~" if args.namespace else ""
    watcher = Watcher(lab["ironic_url"], (lab["ironic_username"], lab["ironic_password"]), prefix)
    thread = threading.Thread(target=watcher.run, daemon=True)
    start = time.monotonic()
    thread.start()
    try:
        rc = subprocess.call(command)
    finally:
        watcher.stop.set()
        thread.join()
    print(f"\nIronic phases while `{' '.join(command[:3])} ...` ran ({time.monotonic() - start:.0f} s in all; "
          f"seen every {POLL_SECONDS:.0f} s):")
    print(watcher.table())
    return rc


if __name__ == "__main__":
    sys.exit(main())
