#!/usr/bin/env python3
"""Fails when a folder holding Rust or Python code is missing from ARCHITECTURE.md's code map.

The code map is the `## Code map` section; a folder is in it when its whole path from the
repository's top, ending in `/`, is written there in backticks (`provider/src/actions/`).
Folders the map names that no longer exist fail too, so the map cannot go stale either way.

Usage: scripts/check_code_map.py [REPO]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SKIPPED = {"target", ".work", ".git", "node_modules", "__pycache__", "dist"}


def code_folders(repo: Path) -> set[str]:
    """Every folder (relative, ending in `/`) that directly holds a `.rs` or `.py` file."""
    found = set()
    for file in repo.rglob("*"):
        rel = file.relative_to(repo)
        if any(part in SKIPPED or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if file.suffix in (".rs", ".py") and file.is_file() and len(rel.parts) > 1:
            found.add(rel.parent.as_posix() + "/")
    return found


def mapped_folders(architecture: str) -> set[str]:
    """The folders the code map names by their whole path."""
    match = re.search(r"^## Code map\n(.*?)(?=^## )", architecture, re.S | re.M)
    if not match:
        raise ValueError("ARCHITECTURE.md has no '## Code map' section")
    return set(re.findall(r"`([A-Za-z0-9_.\-/]+/)`", match.group(1)))


def check(repo: Path) -> tuple[list[str], list[str]]:
    """(code folders missing from the map, mapped folders that do not exist)."""
    mapped = mapped_folders((repo / "ARCHITECTURE.md").read_text())
    missing = sorted(code_folders(repo) - mapped)
    stale = sorted(m for m in mapped if "/" in m.rstrip("/") and not (repo / m).is_dir())
    return missing, stale


def main() -> int:
    repo = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    missing, stale = check(repo)
    for folder in missing:
        print(f"not in ARCHITECTURE.md's code map: `{folder}`")
    for folder in stale:
        print(f"in ARCHITECTURE.md's code map but not in the repository: `{folder}`")
    if missing or stale:
        return 1
    print("the code map covers every code folder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
