#!/usr/bin/env bash
# The whole check, as CI runs it: bootstrap, Rust formatting/lints/build, a test stack, all tests,
# then the VM lab (docs/guides/lab.md) and its tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { echo; echo "==> $*"; }

step "bootstrap"
scripts/bootstrap.sh

step "cargo fmt --check"
cargo fmt --all -- --check
# cargo fmt skips modules declared inside a macro (the provider's register!): every file too.
find core tfplugin tfplugin-derive provider -name '*.rs' -print0 | xargs -0 rustfmt --edition 2021 --check

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo build"
cargo build --workspace --all-targets

STACK_DIR="$ROOT/.work/test-stack"
step "test stack up ($STACK_DIR)"
stop_stack() { .work/venv/bin/python -m m3stack down --dir "$STACK_DIR" || true; }
trap stop_stack EXIT
.work/venv/bin/python -m m3stack up --dir "$STACK_DIR"
export METAL3_TEST_STACK="$STACK_DIR/stack.json"

step "cargo test"
METAL3_REQUIRE_STACK=1 cargo test --workspace

# Several Ironic conductors on PostgreSQL, for the conductor-group tests (test_scale_conductors.py).
CLUSTER_DIR="$ROOT/.work/test-cluster"
step "multi-conductor cluster up ($CLUSTER_DIR)"
stop_cluster() { .work/venv/bin/python -m m3stack cluster down --dir "$CLUSTER_DIR" || true; }
trap 'stop_cluster; stop_stack' EXIT
.work/venv/bin/python -m m3stack cluster up --dir "$CLUSTER_DIR"
export METAL3_CLUSTER="$CLUSTER_DIR/cluster.json"

step "acceptance tests (pytest)"
METAL3_REQUIRE_STACK=1 METAL3_PROVIDER_BIN="$ROOT/target/debug/terraform-provider-metal3" \
    .work/venv/bin/pytest -q acceptance-tests/tests

step "benchmark suite's own logic (pytest; the benchmark itself is make bench)"
.work/venv/bin/pytest -q -p no:cacheprovider acceptance-tests/bench/tests

# The VM lab needs the machine to itself more than the stacks do: stop them first.
stop_cluster; stop_stack; trap - EXIT
step "VM lab: the real agent in QEMU VMs behind emulated Redfish (scripts/lab-tests.sh --own-lab)"
scripts/lab-tests.sh --own-lab

echo; echo "==> all checks passed"
