"""What a run measured, the goals it is compared with, and the JSON it is kept as."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

# Goals, reported beside the measurements and never asserted.
PLAN_RATIO = 1.5             # no-op plan <= 1.5 x (terraform_data plan + one node list)
APPLY_RATIO = 1.1            # apply <= 1.1 x the direct client
PLAN_REQUESTS_PER_HOST = 1.0  # Ironic requests per host on a no-op plan
RSS_MIB = 25.0               # provider peak RSS at the largest plan size

APPLY, PLAN, DESTROY, SCHEMA, BUILD, QUERY = "apply", "plan", "destroy", "schema", "build", "query"


@dataclass
class Measurement:
    kind: str                 # APPLY, PLAN, DESTROY, SCHEMA, BUILD, QUERY
    measure: str              # e.g. "apply -> available"
    seconds: float
    n: int | None = None
    parallelism: int | None = None
    floor_seconds: float | None = None
    floor: str = ""           # what the floor is
    goal_ratio: float | None = None
    requests_per_host: float | None = None
    floor_requests_per_host: float | None = None
    peak_rss_mib: float | None = None
    details: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor_seconds if self.floor_seconds else None


@dataclass
class Check:
    goal: str
    value: float | None
    limit: float
    unit: str

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value <= self.limit


def checks(measurements: list) -> list:
    """Every goal the measurements can be compared with."""
    out = []
    for m in measurements:
        where = f"N={m.n}" + (f" p={m.parallelism}" if m.parallelism else "")
        if m.goal_ratio is not None:
            out.append(Check(f"{m.measure} {where}: time / floor", m.ratio, m.goal_ratio, "x"))
        if m.kind == PLAN:
            out.append(Check(f"{m.measure} {where}: Ironic requests per host", m.requests_per_host,
                             PLAN_REQUESTS_PER_HOST, "req"))
    sized = [m for m in measurements if m.n and m.peak_rss_mib is not None]
    if sized:
        largest = max(m.n for m in sized)
        peak = max(m.peak_rss_mib for m in sized if m.n == largest)
        out.append(Check(f"provider peak RSS at N={largest}", peak, RSS_MIB, "MiB"))
    return out


@dataclass
class Results:
    mode: str
    provider: dict            # path, size_bytes, sha256, commit
    machine: dict             # cpu_model, cores, memory_mib, kernel
    started: str              # ISO 8601 UTC
    seconds: float = 0.0
    checkout: dict = field(default_factory=dict)  # commit of the bench's own checkout
    settings: dict = field(default_factory=dict)  # profile, plan parallelism, poll interval
    measurements: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # steps that failed, with their error
    note: str = ""            # what the reader should know about this run (--note)

    def to_json(self) -> str:
        doc = asdict(self)
        for m, raw in zip(self.measurements, doc["measurements"]):
            raw["ratio"] = m.ratio
        doc["checks"] = [dict(asdict(c), met=c.met) for c in checks(self.measurements)]
        return json.dumps(doc, indent=2) + "\n"

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.to_json())
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> "Results":
        doc = json.loads(Path(path).read_text())
        doc.pop("checks", None)
        measurements = []
        for raw in doc.pop("measurements", []):
            raw.pop("ratio", None)
            measurements.append(Measurement(**raw))
        return Results(measurements=measurements, **doc)
