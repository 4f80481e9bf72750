"""Ironic requests sent during a measured step, counted from Ironic's own API log.

The log and the test of whose a request is are the acceptance tests' (`ironic_log`: marks are
byte offsets; `from_agent` knows the stand-in inspection agent's requests, counted apart as
they are not the measured client's); this module counts and breaks the rest down.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from ironic_log import REQUEST, IronicLog, Request, from_agent  # noqa: E402,F401  (re-exported)


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
        if from_agent(request):
            counts.agent += 1
            continue
        counts.client += 1
        kind = kind_of(request)
        counts.by_kind[kind] = counts.by_kind.get(kind, 0) + 1
    return counts


class ApiLog:
    """Marks and counts on one Ironic instance's API log."""

    def __init__(self, stack: dict):
        # The bench's split Ironic logs its API as `ironic-api`, the single-process stack's
        # no-auth instance as `ironic-noauth`.
        self.log = IronicLog(stack, instance="api" if "conductors" in stack else "noauth")

    def mark(self) -> int:
        return self.log.mark()

    def count_since(self, mark: int) -> Counts:
        return count(self.log.requests_since(mark))
