#!/usr/bin/env bash
# Regenerates acceptance-tests/constraints.txt from a scratch venv built from requirements.txt only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install -q -r "$ROOT/acceptance-tests/requirements.txt"
{
    echo "# Full resolved set for requirements.txt, frozen with pip freeze on Python 3.11 (Debian 12)."
    echo "# Regenerate: scripts/freeze-constraints.sh"
    "$TMP/venv/bin/pip" freeze --all | grep -vE '^(pip|setuptools|wheel)=='
} > "$ROOT/acceptance-tests/constraints.txt"
echo "wrote acceptance-tests/constraints.txt"
