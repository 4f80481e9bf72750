"""What the numbers depend on: the machine, the provider binary and the commits."""

import hashlib
import os
import platform
import subprocess
from pathlib import Path


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_mib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_mib = int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return {"cpu_model": cpu, "cores": os.cpu_count(), "memory_mib": memory_mib,
            "kernel": platform.release(), "python": platform.python_version()}


def commit_of(path: Path) -> dict:
    """HEAD of the git work tree holding `path`, and whether tracked files differ from it."""
    where = path if path.is_dir() else path.parent

    def git(*args):
        return subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True, timeout=30)

    head = git("rev-parse", "HEAD")
    if head.returncode != 0:
        return {"commit": None, "dirty": None}
    dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip() != ""
    return {"commit": head.stdout.strip(), "dirty": dirty}


def provider(binary: Path, source: Path | None = None) -> dict:
    """Size, hash and commit of the binary; the commit is the source tree's when given, else
    that of the git work tree the binary lies in (a guess: it may have been built elsewhere)."""
    data = binary.read_bytes()
    return {"path": str(binary), "size_bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            **commit_of(source or binary)}
