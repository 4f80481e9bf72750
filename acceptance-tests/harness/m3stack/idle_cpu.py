"""python -m m3stack.idle_cpu --dir DIR [--seconds 30]: CPU use of each stack process, in % of one
core, from /proc/<pid>/stat utime+stime (the whole process group, so children count too)."""

import argparse
import os
import sys
import time
from pathlib import Path

from m3stack.processes import ProcessTable

TICKS = os.sysconf("SC_CLK_TCK")


def group_ticks(pgid: int) -> int:
    """utime+stime of every live process in process group `pgid` (each stack process leads one)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[0] is the state; pgrp is field 5 of stat
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total


def measure(state_dir: Path, seconds: float) -> dict:
    """name -> (pid, CPU ticks, % of one core) of each process of the stack in `state_dir`."""
    pids = ProcessTable(state_dir.resolve()).alive()
    if not pids:
        raise RuntimeError(f"no live processes recorded in {state_dir}/pids.json")
    before, started = {n: group_ticks(p) for n, p in pids.items()}, time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - started
    usage = {}
    for name, pid in pids.items():
        ticks = group_ticks(pid) - before[name]
        usage[name] = (pid, ticks, 100.0 * ticks / TICKS / elapsed)
    return usage


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    try:
        usage = measure(args.dir, args.seconds)
    except RuntimeError as exc:
        sys.exit(str(exc))
    for name, (pid, ticks, pct) in sorted(usage.items()):
        print(f"{name:15} pid {pid:>7}  {ticks:6d} ticks  {pct:6.2f}%")
    total = sum(pct for _, _, pct in usage.values())
    print(f"{'total':15} {'':11}  {'':6}        {total:6.2f}%  of one core over {args.seconds:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
