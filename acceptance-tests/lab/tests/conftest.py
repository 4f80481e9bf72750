"""Fixtures for the lab tests (`make lab-test`): real Terraform against the lab of `make lab-up`.

The lab is described by `.work/lab/lab.json` (LAB_DIR moves it). The parent conftest
(acceptance-tests/conftest.py) gives `provider_bin`; `stack` and `ironic` are overridden here so
that hostkit's `Workspace` and `ws` point at the lab's Ironic instead of the test stack."""

import json
import os
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ACCEPTANCE = HERE.parents[1]
ROOT = ACCEPTANCE.parent
for path in (ACCEPTANCE / "harness", ACCEPTANCE / "tests", ACCEPTANCE / "lab", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from hostkit import Workspace, purge_namespace, unique_namespace  # noqa: E402
from m3stack.testkit import Ironic  # noqa: E402
from labkit import virsh  # noqa: E402

TIMINGS = {}


def lab_info() -> dict:
    path = Path(os.environ.get("LAB_DIR", ROOT / ".work" / "lab")) / "lab.json"
    if not path.exists():
        pytest.fail(f"no {path}: run `make lab-up` first")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def lab() -> dict:
    return lab_info()


@pytest.fixture(scope="session")
def stack(lab) -> dict:
    """The lab in the shape hostkit's Workspace reads (a stack.json's keys)."""
    return {"ironic_url": lab["ironic_url"], "deploy_kernel_url": lab["deploy_kernel_url"],
            "deploy_ramdisk_url": lab["deploy_ramdisk_url"], "deploy_iso_url": None}


@pytest.fixture(scope="session")
def ironic(lab) -> Ironic:
    return Ironic(lab["ironic_url"], auth=(lab["ironic_username"], lab["ironic_password"]))


@pytest.fixture
def vm(lab) -> dict:
    """The first lab VM, powered off and in no Ironic node at the start of the test."""
    return shut_off(lab["vms"][0])


def shut_off(vm: dict) -> dict:
    """`vm`, its domain powered off (forcibly) if it was not."""
    if virsh("domstate", vm["name"]).strip() != "shut off":
        virsh("destroy", vm["name"])
    return vm


@pytest.fixture
def all_vms(lab) -> list:
    """Every lab VM, powered off (for a test that drives them all, like the lab demo)."""
    return [shut_off(vm) for vm in lab["vms"]]


# Which lab VM a test drives is the VM fixture it asks for: `vm` (m3lab-vm-0), `vm1`, or `all_vms`.
# scripts/lab-tests.sh runs one pytest per VM side by side (LAB_TEST_VM=0, 1, ...), then the
# tests that need them all (LAB_TEST_VM=all); unset, every test runs.
VM_OF_FIXTURE = {"vm": "0", "vm1": "1", "all_vms": "all"}


def pytest_collection_modifyitems(config, items):
    chosen = os.environ.get("LAB_TEST_VM")
    if chosen is None:
        return
    keep, drop = [], []
    for item in items:
        vms = {VM_OF_FIXTURE[f] for f in item.fixturenames if f in VM_OF_FIXTURE}
        if not vms:
            raise pytest.UsageError(f"{item.nodeid} asks for no lab VM fixture ({', '.join(VM_OF_FIXTURE)})")
        (keep if vms == {chosen} else drop).append(item)
    items[:] = keep
    config.hook.pytest_deselected(items=drop)


@pytest.fixture
def vm1(lab) -> dict:
    """The second lab VM (`m3lab-vm-1`: tests on it run beside those on the first), powered off
    and in no Ironic node at the start of the test."""
    if len(lab["vms"]) < 2:
        pytest.fail("the lab has one VM: these tests need two (LAB_VMS=2 make lab-up, the default)")
    return shut_off(lab["vms"][1])


@pytest.fixture
def lab_ws(tmp_path, lab, stack, ironic, provider_bin):
    """A hostkit Workspace on the lab's Ironic (HTTP basic auth), in a fresh namespace; destroyed
    and purged afterwards."""
    ws = Workspace(tmp_path / "tf", stack, unique_namespace("lab"))
    plain = ws.configure

    def configure(body: str, provider: dict | None = None):
        return plain(body, {"username": lab["ironic_username"], "password": lab["ironic_password"],
                            **(provider or {})})

    ws.configure = configure
    try:
        yield ws
    finally:
        if ws.initialized and ws.has_state():
            try:
                ws.destroy(check=False, timeout=1500)
            except Exception as exc:  # cleanup must go on to the purge
                print(f"destroy during cleanup failed: {exc}")
        purge_namespace(ironic, ws.namespace)


@pytest.fixture
def timed(request):
    """timed(step) is a context manager recording the step's seconds (printed at the end)."""
    from contextlib import contextmanager

    @contextmanager
    def step(name: str):
        start = time.monotonic()
        yield
        TIMINGS.setdefault(request.node.name, {})[name] = round(time.monotonic() - start, 1)

    start = time.monotonic()
    yield step
    TIMINGS.setdefault(request.node.name, {})["total"] = round(time.monotonic() - start, 1)


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.section("lab test timings (seconds)")
        for test, steps in TIMINGS.items():
            terminalreporter.write_line(f"{test}: " + ", ".join(f"{k} {v}" for k, v in steps.items()))
