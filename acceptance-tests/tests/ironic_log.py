"""What Ironic itself says happened, read from its log and its node history.

Ironic logs every API request as `127.0.0.1 - <METHOD> <path> - <status>` and every provision move
as `Node <uuid> moved to provision state "<new>" from state "<old>"`. A `Mark` remembers how far
the log was read, so a test can ask what happened between two points (e.g. during one
`terraform plan`), whatever other tests did before.
"""

import re
import time
from dataclasses import dataclass
from pathlib import Path

REQUEST = re.compile(r" - (GET|HEAD|POST|PUT|PATCH|DELETE) (\S+) - (\d{3})")
MOVE = re.compile(r'Node ([0-9a-f-]{36}) moved to provision state "([^"]+)" from state "([^"]+)"')
CLEANING = re.compile(r"Executing automated cleaning on node ([0-9a-f-]{36})")
DEPLOYING = re.compile(r"Deploying on node ([0-9a-f-]{36})")
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
# The stand-in inspection agent's own callback: not sent by the provider.
AGENT_PATHS = ("/v1/continue_inspection",)
# The agent's reads: which nodes wait in `inspect wait`, and their ports' addresses.
AGENT_READS = re.compile(r"^/v1/nodes\?provision_state=inspect|^/v1/nodes/[^/?]+/ports\?fields=address")


def from_agent(request: "Request") -> bool:
    return request.path.startswith(AGENT_PATHS) or bool(AGENT_READS.search(request.path))


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    status: int


@dataclass(frozen=True)
class Move:
    node: str
    state: str
    previous: str


class IronicLog:
    def __init__(self, stack: dict, instance: str = "noauth"):
        self.path = Path(stack["log_dir"]) / f"ironic-{instance}.log"

    def mark(self) -> int:
        """The current end of the log (a position to read from later)."""
        time.sleep(0.2)  # let Ironic flush what it logged for requests already answered
        return self.path.stat().st_size

    def lines_since(self, mark: int) -> list[str]:
        time.sleep(0.2)
        with self.path.open("rb") as log:
            log.seek(mark)
            return log.read().decode(errors="replace").splitlines()

    def requests_since(self, mark: int) -> list[Request]:
        out = []
        for line in self.lines_since(mark):
            found = REQUEST.search(line)
            if found:
                out.append(Request(found.group(1), found.group(2), int(found.group(3))))
        return out

    def provider_requests_since(self, mark: int) -> list[Request]:
        """Requests since `mark`, without the stand-in agent's."""
        return [r for r in self.requests_since(mark) if not from_agent(r)]

    def mutating_requests_since(self, mark: int) -> list[Request]:
        return [r for r in self.requests_since(mark)
                if r.method in MUTATING and not r.path.startswith(AGENT_PATHS)]

    def moves_since(self, mark: int, nodes: set[str] | None = None) -> list[Move]:
        out = []
        for line in self.lines_since(mark):
            found = MOVE.search(line)
            if found and (nodes is None or found.group(1) in nodes):
                out.append(Move(found.group(1), found.group(2), found.group(3)))
        return out


    def disk_events_since(self, mark: int, nodes: set[str]) -> dict:
        """Whether automated cleaning ran (Ironic passes through `cleaning` even with cleaning
        disabled, so the state alone does not tell: it logs "Executing automated cleaning" only
        when there are steps) and whether a deployment ran, on any of `nodes`. Unlike the node
        history, this survives the node's deletion."""
        found = {"cleaned": False, "deployed": False}
        for line in self.lines_since(mark):
            for key, pattern in (("cleaned", CLEANING), ("deployed", DEPLOYING)):
                hit = pattern.search(line)
                if hit and hit.group(1) in nodes:
                    found[key] = True
        return found


def history_events(ironic, uuid: str, since: str | None = None) -> list[str]:
    """Event types of the node's history (`/v1/nodes/{id}/history`), newer than `since`."""
    resp = ironic.request("GET", f"/v1/nodes/{uuid}/history", params={"detail": "true"},
                          expect=(200, 404))
    if resp.status_code == 404:
        return []
    return [e["event_type"] for e in resp.json()["history"]
            if since is None or e["created_at"] > since]
