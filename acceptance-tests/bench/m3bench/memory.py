"""Peak resident memory (VmHWM) of the provider processes one Terraform command starts.

Terraform launches the provider as its child. VmHWM is a high-water mark, so sampling it now
and then while the process lives is enough: the last sample before the provider exits holds
its peak, short of a jump in its final fraction of a second.
"""

import os
import threading
from pathlib import Path

PROVIDER_PREFIX = "terraform-provider-metal3"


def parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


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
    largest VmHWM seen across them (None when no provider ran).

    Each process is looked at once (its parent and executable), so a sample costs a listing of
    /proc plus one read per live provider: the sampler must not load the machine it measures."""

    def __init__(self, parent: int, interval: float = 0.05):
        self.parent = parent
        self.interval = interval
        self.peaks: dict = {}
        self._seen: set = {os.getpid()}
        self._providers: set = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) in self._seen:
                continue
            pid = int(name)
            if parent_of(pid) != self.parent:
                self._seen.add(pid)
            elif is_provider(pid):
                self._seen.add(pid)
                self._providers.add(pid)
            # else: a child not yet exec'ed into the provider: looked at again next time
        for pid in list(self._providers):
            kib = high_water_kib(pid)
            if kib is None:  # exited
                self._providers.discard(pid)
            else:
                self.peaks[pid] = max(kib, self.peaks.get(pid, 0))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_kib(self) -> int | None:
        return max(self.peaks.values()) if self.peaks else None
