"""Wall-clock timing of a step, and the median of repeated short ones."""

import statistics
import time
from contextlib import contextmanager


class Stopwatch:
    seconds: float = 0.0


@contextmanager
def timed():
    watch = Stopwatch()
    started = time.monotonic()
    try:
        yield watch
    finally:
        watch.seconds = time.monotonic() - started


def median_seconds(step, repeats: int) -> float:
    """Median wall time of `repeats` calls of `step()` (short steps vary run to run)."""
    times = []
    for _ in range(repeats):
        with timed() as watch:
            step()
        times.append(watch.seconds)
    return statistics.median(times)
