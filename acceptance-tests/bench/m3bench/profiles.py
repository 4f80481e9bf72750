"""How big a run is: the host counts and widths of the full run and of the quick one."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    # Host counts applied with inspection and cleaning, to `available` and to `provisioned`.
    apply_sizes: tuple
    # Host counts of the no-op plan series on hosts enrolled without inspection or cleaning
    # (grown in one workspace, so Ironic holds exactly that many nodes at each plan).
    plan_sizes: tuple
    # The fixed apply width; each size is also applied at a width equal to its host count.
    narrow: int
    # Terraform's default; plans are timed the way most people run them.
    plan_parallelism: int = 10
    # Width used to enroll the plan series' hosts (not a measurement: keeps Ironic's API busy
    # without queueing hundreds of pollers on its single worker).
    build_parallelism: int = 50
    # Repetitions of the short measurements (schema, version, node list); the median is kept.
    repeats: int = 3

    def widths(self, n: int) -> tuple:
        return tuple(sorted({min(self.narrow, n), n}))


FULL = Profile("full", apply_sizes=(50, 200), plan_sizes=(50, 200, 1000), narrow=10)
QUICK = Profile("quick", apply_sizes=(6,), plan_sizes=(6, 20), narrow=3, build_parallelism=10)
PROFILES = {p.name: p for p in (FULL, QUICK)}
