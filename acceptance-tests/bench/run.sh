#!/usr/bin/env bash
# `make bench`: the performance bench (see acceptance-tests/bench/README.md).
#   BENCH_PROVIDER_BIN=PATH  measure this binary instead of a release build of this checkout
#   BENCH_PROVIDER_SOURCE=DIR  the git work tree that binary was built from (for its commit)
#   arguments are m3bench's: --quick, --only WORDS, --keep-stack, --out FILE, --doc FILE
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
scripts/bootstrap.sh
bin="${BENCH_PROVIDER_BIN:-}"
source_tree="${BENCH_PROVIDER_SOURCE:-}"
if [[ -z "$bin" ]]; then
    source_tree="$ROOT"
    echo "bench: cargo build --release -p terraform-provider-metal3"
    cargo build --release -p terraform-provider-metal3
    bin="${CARGO_TARGET_DIR:-$ROOT/target}/release/terraform-provider-metal3"
fi
[[ -x "$bin" ]] || { echo "bench: provider binary $bin not found" >&2; exit 1; }
export PYTHONPATH="$ROOT/acceptance-tests/bench${PYTHONPATH:+:$PYTHONPATH}"
exec "$ROOT/.work/venv/bin/python" -m m3bench --provider-bin "$bin" \
    ${source_tree:+--provider-source "$source_tree"} "$@"
