"""python -m m3lab {up,down,status} [--dir DIR] [--vms N]  (make lab-up / lab-down / lab-status)"""

import argparse
import json
import os
import sys
from pathlib import Path

from m3lab.lab import Lab, LabCannotRun, LabError, ROOT


# `up`'s exit status when this machine cannot run the VMs (scripts/lab-tests.sh acts on it).
CANNOT_RUN = 3


def main() -> int:
    parser = argparse.ArgumentParser(prog="m3lab", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--dir", default=os.environ.get("LAB_DIR", str(ROOT / ".work" / "lab")))
    parser.add_argument("--vms", type=int, default=int(os.environ.get("LAB_VMS", "2")))
    args = parser.parse_args()
    lab = Lab(Path(args.dir), vms=args.vms)
    try:
        if args.command == "up":
            info = lab.up()
            print(f"lab.json: {lab.info_path}")
            print(f"Ironic: {info['ironic_url']} (user {info['ironic_username']}); "
                  f"{len(info['vms'])} VMs under {info['accelerator'].upper()}")
        elif args.command == "down":
            lab.down()
        else:
            print(json.dumps(lab.status(), indent=2))
    except LabCannotRun as e:
        print(f"m3lab: CANNOT RUN HERE: {e}", file=sys.stderr)
        return CANNOT_RUN
    except LabError as e:
        print(f"m3lab: ERROR: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
