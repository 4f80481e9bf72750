"""Fixtures for the acceptance tests: the test stack, an Ironic helper, Terraform with the provider."""

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "harness"))

from m3stack.stack import Stack  # noqa: E402
from m3stack.testkit import Ironic, Terraform, install_provider  # noqa: E402


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """stack.json of METAL3_TEST_STACK, or of a stack started for this session only."""
    path = os.environ.get("METAL3_TEST_STACK")
    if path:
        yield json.loads(Path(path).read_text())
        return
    own = Stack(tmp_path_factory.mktemp("m3stack"))
    try:
        yield own.up()
    finally:
        own.down()


@pytest.fixture(scope="session")
def ironic(stack) -> Ironic:
    return Ironic(stack["ironic_url"])


@pytest.fixture(scope="session")
def ironic_basic(stack) -> Ironic:
    return Ironic(stack["ironic_basic_url"], auth=(stack["ironic_basic_username"], stack["ironic_basic_password"]))


@pytest.fixture(scope="session")
def provider_bin() -> Path:
    """The provider under test (METAL3_PROVIDER_BIN), installed into the Terraform mirror."""
    value = os.environ.get("METAL3_PROVIDER_BIN")
    if not value:
        pytest.fail("METAL3_PROVIDER_BIN is not set: point it at target/debug/terraform-provider-metal3")
    binary = Path(value).resolve()
    if not binary.is_file() or not os.access(binary, os.X_OK):
        pytest.fail(f"METAL3_PROVIDER_BIN={value} is not an executable file (did `cargo build` run?)")
    install_provider(binary)
    return binary


@pytest.fixture
def terraform(tmp_path) -> Terraform:
    """Terraform in a fresh working directory (provider not required; use `provider_bin` for that)."""
    return Terraform(tmp_path / "tf")


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    """cluster.json of METAL3_CLUSTER (several Ironic conductors on PostgreSQL, `m3stack cluster`),
    or of a cluster started for this session only. Without PostgreSQL on the machine the tests that
    need it skip, loudly, unless METAL3_REQUIRE_STACK=1 makes that a failure."""
    path = os.environ.get("METAL3_CLUSTER")
    if path:
        yield json.loads(Path(path).read_text())
        return
    from m3stack.cluster import Cluster, pg_bindir  # imported here: only the cluster needs psycopg2

    try:
        pg_bindir()
    except RuntimeError as exc:
        if os.environ.get("METAL3_REQUIRE_STACK") == "1":
            pytest.fail(f"METAL3_REQUIRE_STACK=1 but no cluster can start: {exc}")
        pytest.skip(f"SKIPPED: no multi-conductor cluster: {exc}")
    own = Cluster(tmp_path_factory.mktemp("m3cluster"))
    try:
        yield own.up()
    finally:
        own.down()
