"""The peak-RSS sampler finds the provider among the children of the process it watches."""

import shutil
import subprocess
import time

from m3bench.memory import ProviderPeak


def test_a_child_named_like_the_provider_is_sampled_and_others_are_not(tmp_path):
    fake = tmp_path / "terraform-provider-metal3_v0.0.0"
    shutil.copy(shutil.which("sleep"), fake)
    # `; true` keeps the shell as the parent instead of exec'ing the last command.
    parent = subprocess.Popen(["sh", "-c", f"sleep 0.6 & {fake} 0.6; wait; true"])
    peak = ProviderPeak(parent.pid, interval=0.05)
    parent.wait()
    time.sleep(0.1)
    peak.stop()
    assert len(peak.peaks) == 1
    assert peak.peak_kib and peak.peak_kib > 0


def test_no_provider_gives_no_peak():
    parent = subprocess.Popen(["sh", "-c", "sleep 0.3; true"])
    peak = ProviderPeak(parent.pid, interval=0.05)
    parent.wait()
    peak.stop()
    assert peak.peak_kib is None
