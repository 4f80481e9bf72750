"""Peak resident memory (VmHWM) of the provider processes one Terraform command starts.

Terraform launches the provider as its child. VmHWM is a high-water mark, so sampling it now
and then while the process lives is enough: the last sample before the provider exits holds
its peak, short of a jump in its final fraction of a second.
"""

import os
import threading
from pathlib import Path

PROVIDER_PREFIX = "terraform-provider-metal3"


def children(pid: int) -> list:
    pids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids.extend(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return pids


def is_provider(pid: int) -> bool:
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe")).startswith(PROVIDER_PREFIX)
    except OSError:
        return False


def high_water_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


class ProviderPeak:
    """Samples the providers started by process `parent` until `stop()`; `peak_kib` is the
    largest VmHWM seen across them (None when no provider ran)."""

    def __init__(self, parent: int, interval: float = 0.1):
        self.parent = parent
        self.interval = interval
        self.peaks: dict = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        for pid in children(self.parent):
            if not is_provider(pid):
                continue
            kib = high_water_kib(pid)
            if kib is not None:
                self.peaks[pid] = max(kib, self.peaks.get(pid, 0))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_kib(self) -> int | None:
        return max(self.peaks.values()) if self.peaks else None
