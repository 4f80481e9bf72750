#!/usr/bin/env bash
# Run one example against the running demo stack (`make demo` starts it).
#   scripts/example.sh NAME [apply|plan|destroy|output]     (default: apply)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/examples-env.sh"

name="${1:-}"
action="${2:-apply}"
if [[ -z "$name" ]]; then
    echo "usage: scripts/example.sh NAME [apply|plan|destroy|output]" >&2
    echo "examples: $(ls "$ROOT/examples" | tr '\n' ' ')" >&2
    exit 2
fi

terraform_env
[[ -x "$VENV_PY" && -x "$TERRAFORM" ]] || bootstrap
install_provider
require_stack
prepare_workdir "$name"
tf_init

# The import example needs a machine that Ironic already runs, installed outside Terraform.
precreate() {
    [[ "$name" == import-externally-provisioned ]] || return 0
    local image
    image="$("$VENV_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["images"]["qcow2_url"])' "$STACK_JSON")"
    "$VENV_PY" "$ROOT/scripts/precreate_active_node.py" "$STACK_JSON" import legacy-db-0 "$image"
}

case "$action" in
    apply)
        precreate
        say "terraform apply ($name)"
        tf_apply
        ;;
    plan)
        precreate
        tf plan -input=false
        ;;
    destroy)
        say "terraform destroy ($name)"
        tf destroy -input=false -auto-approve
        exit 0
        ;;
    output) ;;
    *) die "unknown action '$action' (apply, plan, destroy, output)" ;;
esac

if [[ "$action" != plan ]]; then
    outputs="$(tf output -json)"
    if "$VENV_PY" -c 'import json,sys; sys.exit(0 if "inventory" in json.load(sys.stdin) else 1)' <<<"$outputs"; then
        "$VENV_PY" "$ROOT/scripts/inventory_table.py" <<<"$outputs"
    else
        tf output
    fi
fi
