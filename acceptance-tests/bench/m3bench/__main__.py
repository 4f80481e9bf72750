"""python -m m3bench --provider-bin PATH [--quick] [--out FILE] ...: one bench run.

Starts the bench's own stack, runs every measurement (a failed one is recorded and the run goes
on), prints the table and writes results JSON and a performance page after each step.
"""

import argparse
import dataclasses
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from m3stack.cluster import Cluster
from m3stack.stack import Stack
from m3stack.testkit import PROJECT_ROOT

from m3bench import hosts as hostlib
from m3bench import machine, perfdoc, table
from m3bench.direct import POLL
from m3bench.profiles import PROFILES
from m3bench.results import Results
from m3bench.scenarios import Bench
from m3bench.tfdir import install_provider

WORK = PROJECT_ROOT / ".work"
# Ironic as deployed for fleets: the API and the conductors in processes of their own (each is
# bound by one core's worth of Python), sharing a PostgreSQL database. Both conductors serve the
# nodes without a conductor group, so Ironic spreads the bench's nodes over them. On the 2-core
# machine this applies 50 hosts at p=50 ~1.7x faster than the single process (17-20 s against
# 26-39 s for the direct client), so the full run fits in its time.
BENCH_CONDUCTORS = (("conductor-1", ""), ("conductor-2", ""))
IRONIC_TOPOLOGY = {
    "split": "API and 2 conductors as separate processes (JSON-RPC), PostgreSQL",
    "single": "one process (API and conductor), SQLite",
}


def say(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} bench: {msg}", flush=True)


def steps(bench: Bench, profile) -> list:
    """(label, step) in run order; each step returns measurements."""
    out = [("schema", bench.schema)]
    for n in profile.apply_sizes:
        for i, p in enumerate(profile.widths(n)):
            out.append((f"apply -> available -> provisioned, destroy N={n} p={p}",
                        lambda n=n, p=p, first=(i == 0): bench.host_lifecycle(n, p, plan_after=first)))
    out.append(("plan series", bench.plan_series))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="m3bench", description=__doc__.splitlines()[0])
    parser.add_argument("--provider-bin", required=True, type=Path, help="provider binary to measure")
    parser.add_argument("--provider-source", type=Path, default=None,
                        help="git work tree the binary was built from (its commit is recorded)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="full", help="host counts and widths")
    parser.add_argument("--quick", action="store_true", help="--profile quick: small host counts, for development")
    parser.add_argument("--wide-cap", type=int, default=None, help="largest wide width (default: the profile's)")
    parser.add_argument("--out", type=Path, default=WORK / "bench" / "results.json")
    parser.add_argument("--doc", type=Path, default=None,
                        help="performance page to write (default: performance.md beside --out)")
    parser.add_argument("--work", type=Path, default=WORK / "bench", help="working directories, mirror")
    parser.add_argument("--stack-dir", type=Path, default=WORK / "bench-stack")
    parser.add_argument("--keep-stack", action="store_true", help="leave the stack running afterwards")
    parser.add_argument("--ironic", choices=("split", "single"), default="split",
                        help="split: Ironic's API and two conductors as separate processes on PostgreSQL "
                        "(default); single: the test stack's one process on SQLite")
    parser.add_argument("--note", default="", help="printed at the top of the performance page, e.g. "
                        "what else ran on the machine")
    parser.add_argument("--only", default="", help="comma-separated words; run the steps whose label "
                        "contains one (e.g. schema,plan,provisioned)")
    args = parser.parse_args(argv)
    profile = PROFILES["quick" if args.quick else args.profile]
    if args.wide_cap:
        profile = dataclasses.replace(profile, wide_cap=args.wide_cap)
    binary = args.provider_bin.resolve()
    doc_path = args.doc or args.out.with_name("performance.md")

    started = time.monotonic()
    args.work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(args.work / "runs", ignore_errors=True)  # each run's logs only
    cli_config = install_provider(binary, args.work)
    results = Results(
        mode=profile.name, provider=machine.provider(binary, args.provider_source), machine=machine.machine(),
        started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        checkout=machine.commit_of(PROJECT_ROOT),
        settings={"profile": profile.__dict__, "direct_client_poll_seconds": POLL,
                  "ironic": IRONIC_TOPOLOGY[args.ironic]}, note=args.note)
    say(f"{profile.name} run of {binary} ({results.provider['size_bytes'] / 2**20:.1f} MiB)")

    if args.ironic == "split":
        stack = Cluster(args.stack_dir, conductors=BENCH_CONDUCTORS,
                        inspect_wait_timeout=profile.inspect_wait_timeout)
    else:
        stack = Stack(args.stack_dir, inspect_wait_timeout=profile.inspect_wait_timeout)
    say(f"stack up in {args.stack_dir}")
    info = stack.up()
    try:
        bench = Bench(info, profile, args.work, cli_config)
        if bench.purge(hostlib.PREFIX):
            say("deleted nodes left by an earlier run")
        wanted = [w for w in args.only.split(",") if w]
        for label, step in steps(bench, profile):
            if wanted and not any(w in label for w in wanted):
                continue
            say(f"{label} ...")
            try:
                measured = step()
            except Exception as exc:  # one failed step must not lose the others' numbers
                results.problems.append({"step": label, "error": str(exc)[:3000]})
                say(f"{label} FAILED: {str(exc)[:600]}")
                bench.purge(hostlib.PREFIX)
                measured = []
            for m in measured:
                say(table.one_line(m))
            results.measurements.extend(measured)
            results.seconds = time.monotonic() - started
            results.write(args.out)
    finally:
        if args.keep_stack:
            say(f"stack left running: python -m m3stack down --dir {args.stack_dir}")
        else:
            stack.down()

    results.seconds = time.monotonic() - started
    results.write(args.out)
    doc_path.write_text(perfdoc.render(results))
    print()
    print(table.text(results))
    say(f"{len(results.measurements)} measurements in {results.seconds / 60:.1f} min: {args.out}, {doc_path}")
    for problem in results.problems:
        say(f"problem in {problem['step']}: {problem['error'][:300]}")
    return 1 if results.problems else 0


if __name__ == "__main__":
    sys.exit(main())
