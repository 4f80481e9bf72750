"""Ironic requests sent during a measured step, counted from Ironic's own API log.

The log is the harness's (`ironic_log.IronicLog`: marks are byte offsets); this module only
decides whose requests they were. The stand-in inspection agent polls and answers inspections
on the same API: its requests are counted apart, as they are not the measured client's.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from ironic_log import REQUEST, IronicLog, Request  # noqa: E402,F401  (re-exported)

# The agent's requests: its poll for waiting nodes, the boot port it reads, its callback.
AGENT_PATH = re.compile(
    r"^/v1/(continue_inspection"
    r"|nodes(/detail)?\?([^ ]*&)?provision_state=inspect"
    r"|nodes/[^/?]+/ports\?fields=address)")


def is_agent(request: Request) -> bool:
    return bool(AGENT_PATH.match(request.path))


@dataclass
class Counts:
    client: int = 0
    agent: int = 0
    by_kind: dict = field(default_factory=dict)  # "GET /v1/nodes/{id}" -> count (client only)

    def per_host(self, hosts: int) -> float:
        return self.client / hosts if hosts else 0.0


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NODE_NAME = re.compile(r"/v1/nodes/[^/?]+~[^/?]+")


def kind_of(request: Request) -> str:
    """The request with node ids, names and query strings folded, for a breakdown."""
    path = request.path.split("?", 1)[0]
    path = NODE_NAME.sub("/v1/nodes/{id}", UUID.sub("{id}", path))
    return f"{request.method} {path}"


def count(requests: list) -> Counts:
    counts = Counts()
    for request in requests:
        if is_agent(request):
            counts.agent += 1
            continue
        counts.client += 1
        kind = kind_of(request)
        counts.by_kind[kind] = counts.by_kind.get(kind, 0) + 1
    return counts


class ApiLog:
    """Marks and counts on one Ironic instance's API log."""

    def __init__(self, stack: dict):
        self.log = IronicLog(stack)

    def mark(self) -> int:
        return self.log.mark()

    def count_since(self, mark: int) -> Counts:
        return count(self.log.requests_since(mark))
