#!/usr/bin/env bash
# Run one example against the running demo stack (`make demo` starts it).
#   scripts/example.sh NAME [apply|plan|destroy|output] [TERRAFORM ARGS...]   (default: apply)
# Arguments after the action go to terraform, e.g. `scripts/example.sh quickstart plan
# -detailed-exitcode` exits 0 when there is nothing to change and 2 when there is.
# Environment: METAL3_DEMO_STACK_DIR (the stack, default .work/demo-stack), METAL3_RUN_DIR (the
# working copies, default .work/run), METAL3_PROVIDER_BIN (a prebuilt provider: no cargo build),
# METAL3_TF_MIRROR (the provider mirror, default .work/tf-mirror), METAL3_EXAMPLE_VARS (a JSON
# object of variable values, see scripts/example_tfvars.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/examples-env.sh"

name="${1:-}"
action="${2:-apply}"
if [[ -z "$name" ]]; then
    echo "usage: scripts/example.sh NAME [apply|plan|destroy|output] [TERRAFORM ARGS...]" >&2
    echo "examples: $(ls "$ROOT/examples" | tr '\n' ' ')" >&2
    exit 2
fi
shift $(( $# < 2 ? $# : 2 ))

terraform_env
[[ -x "$VENV_PY" && -x "$TERRAFORM" ]] || bootstrap
install_provider
require_stack
prepare_workdir "$name"
tf_init

# The import example needs a machine that Ironic already runs, installed outside Terraform: the
# node <namespace>~<host_name> of the example's variables (its defaults, or stack.auto.tfvars.json).
precreate() {
    [[ "$name" == import-externally-provisioned ]] || return 0
    local image node
    image="$("$VENV_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["images"]["qcow2_url"])' "$STACK_JSON")"
    node="$(echo 'jsonencode([var.namespace, var.host_name])' | tf console \
        | "$VENV_PY" -c 'import json,sys; print(" ".join(json.loads(json.load(sys.stdin))))')"
    # shellcheck disable=SC2086  # two words: namespace and name
    "$VENV_PY" "$ROOT/scripts/precreate_active_node.py" "$STACK_JSON" $node "$image"
}

# The fleet example adopts machines that Ironic already runs: three active nodes made as above,
# then `terraform query` writes their configuration, whose BMC settings are filled in (once: the
# generated file stays in the working directory, like the state).
adopt_fleet() {
    [[ "$name" == adopt-fleet ]] || return 0
    local image namespace i
    image="$("$VENV_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["images"]["qcow2_url"])' "$STACK_JSON")"
    namespace="$(echo 'var.namespace' | tf console | "$VENV_PY" -c 'import json,sys; print(json.load(sys.stdin))')"
    for i in 0 1 2; do
        "$VENV_PY" "$ROOT/scripts/precreate_active_node.py" "$STACK_JSON" "$namespace" "rack-$i" "$image" \
            "installed outside Terraform (examples/adopt-fleet)"
    done
    if [[ ! -f "$WORKDIR/hosts.generated.tf" ]]; then
        say "terraform query -generate-config-out=hosts.generated.tf ($name)"
        tf query -generate-config-out=hosts.generated.tf
        "$VENV_PY" "$ROOT/scripts/fill_generated_bmc.py" --fake-addresses "$WORKDIR/hosts.generated.tf"
    fi
}

case "$action" in
    apply)
        precreate
        adopt_fleet
        say "terraform apply ($name)"
        tf_apply "$@"
        ;;
    plan)
        precreate
        tf plan -input=false "$@"
        ;;
    destroy)
        say "terraform destroy ($name)"
        tf destroy -input=false -auto-approve "$@"
        exit 0
        ;;
    output) ;;
    *) die "unknown action '$action' (apply, plan, destroy, output)" ;;
esac

if [[ "$action" != plan ]]; then
    outputs="$(tf output -json)"
    if "$VENV_PY" -c 'import json,sys; sys.exit(0 if "inventory" in json.load(sys.stdin) else 1)' <<<"$outputs"; then
        "$VENV_PY" "$ROOT/scripts/inventory_table.py" <<<"$outputs"
    elif [[ "$(tr -d '[:space:]' <<<"$outputs")" != "{}" ]]; then
        tf output
    fi
fi
