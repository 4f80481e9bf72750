"""How big a run is: the host counts and widths of each profile.

Widths: each size is applied at the narrow width and at N (capped by --wide-cap). With 200 hosts
in flight Ironic is busy all the time, and the stand-in agent's inspection callbacks queue behind everyone's polls. With
the test stack's 60 s inspection timeout Ironic failed 36 of 200 inspections that way, so the
bench's stack keeps Ironic's own default (1800 s) and measures how long they take.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    # Host counts applied with inspection and cleaning to `available`, then deployed to
    # `provisioned` and destroyed, at the narrow width.
    apply_sizes: tuple
    # The subset of apply_sizes also applied at the wide width.
    wide_sizes: tuple
    # Host counts of the no-op plan series on hosts enrolled without inspection or cleaning
    # (grown in one workspace, so Ironic holds exactly that many nodes at each plan).
    plan_sizes: tuple
    narrow: int
    wide_cap: int = 200
    # Terraform's default; plans are timed the way most people run them.
    plan_parallelism: int = 10
    # Width used to grow the plan series (measured, no floor): wider only adds polls to a
    # saturated Ironic.
    build_parallelism: int = 20
    # Repetitions of the short measurements (schema, version, node list, plans of up to 200
    # hosts); the median is kept.
    repeats: int = 3
    # Ironic's own default (the test stack's 60 s is for tests that watch an inspection fail).
    # A bench that loads Ironic to its limit measures how long inspections take there, not
    # whether they finish inside a test's patience.
    inspect_wait_timeout: int = 1800

    def widths(self, n: int) -> tuple:
        wide = (min(n, self.wide_cap),) if n in self.wide_sizes else ()
        return tuple(sorted({min(self.narrow, n), *wide}))


FULL = Profile("full", apply_sizes=(50, 200), wide_sizes=(50, 200), plan_sizes=(50, 200, 1000), narrow=10)
QUICK = Profile("quick", apply_sizes=(6,), wide_sizes=(6,), plan_sizes=(6, 20), narrow=3, build_parallelism=10)
PROFILES = {p.name: p for p in (FULL, QUICK)}
