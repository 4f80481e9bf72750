#!/usr/bin/env bash
# `make down`: stop the demo stack and forget the examples' Terraform state, which only
# described hosts in that stack's Ironic. `make clean` (--clean) also removes the provider
# mirror and CLI config; the venv and Terraform launcher stay (re-creating them needs the
# package registry); `make distclean` removes all of .work/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/examples-env.sh"

if [[ -f "$STACK_JSON" && -x "$VENV_PY" ]]; then
    say "stopping the demo stack ($STACK_DIR)"
    m3stack down --dir "$STACK_DIR" || echo "warning: m3stack down failed; removing $STACK_DIR anyway" >&2
fi
rm -rf "$STACK_DIR" "$RUN_DIR"
if [[ "${1:-}" == --clean ]]; then
    rm -rf "$MIRROR" "$TF_RC"
    find "$ROOT/examples" -name 'stack.auto.tfvars.json' -delete
fi
