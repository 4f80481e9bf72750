"""python -m m3stack up|down|run|status --dir DIR [-- CMD...]
python -m m3stack cluster ... (several conductors on PostgreSQL: see m3stack/cluster.py)"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from m3stack.stack import Stack, log


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="m3stack", description="Ironic test stack for metal3 tests.")
    parser.add_argument("command", choices=["up", "down", "run", "status"])
    parser.add_argument("--dir", required=True, type=Path, help="state directory (stack.json, logs, pids)")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["cluster"]:
        from m3stack import cluster  # here: only the cluster needs PostgreSQL's driver
        return cluster.main(argv[1:])
    # Everything after the first "--" is the command for `run`, never our own options.
    cmd = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    if args.command != "run" and cmd:
        parser.error(f"{args.command} takes no command")
    stack = Stack(args.dir)

    if args.command == "up":
        stack.up()
        print(stack.stack_json)
        return 0
    if args.command == "down":
        stopped = stack.down()
        log("stopped " + (", ".join(stopped) if stopped else "nothing (no stack recorded)"))
        return 0
    if args.command == "status":
        status = stack.status()
        print(json.dumps(status, indent=2))
        return 0 if status and stack.healthy() else 1
    if not cmd:
        parser.error("run needs a command after --")
    try:
        stack.up()
        env = dict(os.environ, METAL3_TEST_STACK=str(stack.stack_json))
        return subprocess.call(cmd, env=env)
    finally:
        stack.down()


if __name__ == "__main__":
    sys.exit(main())
