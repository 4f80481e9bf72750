"""How big a run is: the host counts and widths of each profile.

Widths: each size is applied at the narrow width and at a wide one, min(N, wide_cap). The
stack's Ironic is one process (API and conductor, one core at most): with 200 hosts in flight
the stand-in agent's inspection callbacks queue behind everyone's polls and Ironic fails some
inspections at its 60 s timeout (36 of 200 in one try on a shared 2-core machine), so the wide
width stops at 50 unless --wide-cap says otherwise.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    # Host counts applied with inspection and cleaning, to `available` and to `provisioned`,
    # at the narrow width.
    apply_sizes: tuple
    # The subset of apply_sizes also applied at the wide width.
    wide_sizes: tuple
    # Host counts of the no-op plan series on hosts enrolled without inspection or cleaning
    # (grown in one workspace, so Ironic holds exactly that many nodes at each plan).
    plan_sizes: tuple
    narrow: int
    wide_cap: int = 50
    # Terraform's default; plans are timed the way most people run them.
    plan_parallelism: int = 10
    # Width used to grow the plan series (measured, no floor): wider only adds polls to a
    # saturated Ironic.
    build_parallelism: int = 20
    # Repetitions of the short measurements (schema, version, node list, plans of up to 200
    # hosts); the median is kept.
    repeats: int = 3

    def widths(self, n: int) -> tuple:
        wide = (min(n, self.wide_cap),) if n in self.wide_sizes else ()
        return tuple(sorted({min(self.narrow, n), *wide}))


# Fits 30 minutes on a quiet 2-core machine, the release build included.
FULL = Profile("full", apply_sizes=(50, 200), wide_sizes=(50,), plan_sizes=(50, 200, 1000), narrow=10)
# FULL plus 200 hosts at the wide width: about 20 minutes more.
EXTENDED = Profile("extended", apply_sizes=(50, 200), wide_sizes=(50, 200), plan_sizes=(50, 200, 1000),
                   narrow=10)
QUICK = Profile("quick", apply_sizes=(6,), wide_sizes=(6,), plan_sizes=(6, 20), narrow=3, build_parallelism=10)
PROFILES = {p.name: p for p in (FULL, EXTENDED, QUICK)}
