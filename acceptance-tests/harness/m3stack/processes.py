"""Detached child processes recorded in DIR/pids.json, so `down` works from another command or
after a crash of the one that started them."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path


class ProcessTable:
    def __init__(self, state_dir: Path):
        self.state_dir = state_dir
        self.path = state_dir / "pids.json"
        self.log_dir = state_dir / "logs"

    def load(self) -> dict:
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}

    def _save(self, table: dict) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(table, indent=2))
        tmp.replace(self.path)

    def start(self, name: str, argv: list, env: dict | None = None, cwd: Path | None = None) -> int:
        """Start `argv` in its own session (process group), output to logs/<name>.log."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd,
                start_new_session=True,
            )
        table = self.load()
        table[name] = proc.pid
        self._save(table)
        return proc.pid

    def signal(self, name: str, sig: int, wait: float = 60.0) -> None:
        """Sends `sig` to process `name`'s group and waits until the group has exited."""
        pid = self.load()[name]
        _signal_group(pid, sig)
        deadline = time.monotonic() + wait
        while _group_alive(pid):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} (pid {pid}) still running {wait:.0f}s after signal {sig}")
            time.sleep(0.1)
        _reap(pid)

    def alive(self) -> dict:
        return {name: pid for name, pid in self.load().items() if _alive(pid)}

    def stop_all(self, grace: float = 5.0) -> list:
        """TERM every recorded process group, KILL what is left after `grace` seconds."""
        table = self.load()
        for pid in table.values():
            _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(_group_alive(p) for p in table.values()):
            time.sleep(0.1)
        for pid in table.values():
            if _group_alive(pid):
                _signal_group(pid, signal.SIGKILL)
        for pid in table.values():
            _reap(pid)
        if self.path.exists():
            self.path.unlink()
        return sorted(table)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # The group leader may be a zombie child of ours while others in the group are gone.
    return _alive(pgid) or _other_members(pgid)


def _other_members(pgid: int) -> bool:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == pgid:
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
