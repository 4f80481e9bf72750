#!/usr/bin/env bash
# The VM lab's tests (acceptance-tests/lab/tests) in real Terraform, one pytest per lab VM run side
# by side (each test uses one VM; a VM booting under TCG keeps one core busy).
#   scripts/lab-tests.sh            against the lab of `make lab-up` (make lab-test)
#   scripts/lab-tests.sh --own-lab  brings the lab up first and down afterwards unless it was
#                                   already up (make test). Where this machine cannot run the
#                                   lab (not root, no apt, QEMU does not install, no test boot
#                                   reaches the guest's init), says so in one loud line and
#                                   exits 0, except in CI (CI set), where that fails.
# Environment: METAL3_PROVIDER_BIN (default: the debug build), LAB_TEST_ARGS (more pytest
# arguments, e.g. "-k inventory"), METAL3_SKIP_LAB=1 (skip, loudly; refused in CI).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LAB_PY=.work/lab-venv/bin/python
export METAL3_PROVIDER_BIN="${METAL3_PROVIDER_BIN:-$ROOT/target/debug/terraform-provider-metal3}"

cannot_run() {
    echo
    echo "!!!!!!!! VM LAB TESTS NOT RUN: $* !!!!!!!!"
    if [[ -n "${CI:-}" ]]; then
        echo "CI must run the lab tests on this machine: failing." >&2
        exit 1
    fi
    exit 0
}

if [[ "${1:-}" == --own-lab ]]; then
    [[ "${METAL3_SKIP_LAB:-}" != 1 ]] || cannot_run "METAL3_SKIP_LAB=1"
    [[ "$(id -u)" -eq 0 ]] || cannot_run "the lab needs root (network namespaces, libvirt, apt)"
    command -v apt-get >/dev/null || cannot_run "the lab needs a Debian machine (apt-get)"
    acceptance-tests/lab/setup.sh || cannot_run "installing the lab's packages failed (see above)"
    was_up=0
    if "$LAB_PY" -m m3lab status 2>/dev/null | grep -q '"healthy": true'; then was_up=1; fi
    if [[ "$was_up" == 0 ]]; then
        trap '"$LAB_PY" -m m3lab down || true' EXIT
    fi
    rc=0
    "$LAB_PY" -m m3lab up || rc=$?
    [[ "$rc" != 3 ]] || cannot_run "no test boot reached the guest's init under KVM or TCG (.work/lab/logs/*-test.log)"
    [[ "$rc" == 0 ]] || { echo "make lab-up failed (rc $rc)" >&2; exit "$rc"; }
fi

[[ -x "$METAL3_PROVIDER_BIN" ]] || { echo "no provider binary $METAL3_PROVIDER_BIN (cargo build)" >&2; exit 1; }
vms="$("$LAB_PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["vms"]))' "${LAB_DIR:-.work/lab}/lab.json")"
logs="$(mktemp -d)"
# run_group NAME: the lab tests of one VM (LAB_TEST_VM=NAME), output in $logs/NAME.log.
run_group() {
    # shellcheck disable=SC2086  # LAB_TEST_ARGS is a list of arguments
    LAB_TEST_VM="$1" .work/venv/bin/pytest -v -rA -p no:cacheprovider acceptance-tests/lab/tests \
        ${LAB_TEST_ARGS:-} >"$logs/$1.log" 2>&1
}
failed=0
ran=0
# report NAME RC: prints a group's output; pytest's 5 (no test chose this VM) is not a failure.
report() {
    echo; echo "---- lab tests on VM group $1 (pytest rc $2) ----"
    cat "$logs/$1.log"
    [[ "$2" == 0 || "$2" == 5 ]] || failed=1
    [[ "$2" != 0 ]] || ran=1
}
pids=()
for ((i = 0; i < vms; i++)); do
    run_group "$i" &
    pids+=($!)
done
for ((i = 0; i < vms; i++)); do
    rc=0
    wait "${pids[$i]}" || rc=$?
    report "$i" "$rc"
done
rc=0
run_group all || rc=$?
report all "$rc"
rm -rf "$logs"
[[ "$ran" == 1 ]] || { echo "no lab test ran" >&2; exit 1; }
exit "$failed"
