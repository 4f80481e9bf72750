#!/usr/bin/env python3
"""Checks built release binaries before they are packaged (`make release` runs it on each):
the header fits the platform (format, 64-bit, CPU; release_binary.py) and what the binary needs at
run time fits it too (release_inspect.py): linux static; darwin loading libSystem only, arm64 with
a valid code signature; windows importing system DLLs only. Prints what it found, one line each.

Usage: check_release_binaries.py OS_ARCH=PATH [OS_ARCH=PATH ...]
Exit codes: 0 every binary fits, 1 one does not, 2 bad arguments.
"""

import sys
from pathlib import Path

from release_binary import EXPECTED, check_file, shown
from release_inspect import inspect


def check(platform: str, path: Path) -> list[str]:
    """The problems of one binary (empty when it fits), after printing what was found."""
    reason = check_file(platform, path)
    if reason:
        return [reason]
    report = inspect(platform, path.read_bytes())
    print(f"check_release_binaries: {platform}: {EXPECTED[platform].words}, {path.stat().st_size} bytes")
    for fact in report.facts:
        print(f"check_release_binaries: {platform}:   {fact}")
    return report.problems


def main(argv: list[str]) -> int:
    if not argv or any("=" not in a for a in argv):
        print(f"check_release_binaries: error: usage: {__doc__.splitlines()[6].removeprefix('Usage: ')}",
              file=sys.stderr)
        return 2
    failed = False
    for arg in argv:
        platform, _, path = arg.partition("=")
        if platform not in EXPECTED:
            print(f"check_release_binaries: error: unknown platform {shown(platform)!r}; use one of "
                  f"{', '.join(sorted(EXPECTED))}", file=sys.stderr)
            return 2
        for problem in check(platform, Path(path)):
            failed = True
            print(f"check_release_binaries: error: {platform} ({shown(path)}) {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
