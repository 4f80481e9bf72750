#!/usr/bin/env bash
# `make lab-demo`: the newcomer path of `make demo`, on the VM lab (make lab-up) instead of fakes.
#   examples/quickstart      enrolls and inspects every lab VM but the first with the real agent
#                            (redfish-virtualmedia, legacy BIOS, metadata cleaning) and prints
#                            their inventory;
#   examples/provision-image deploys the lab's test OS to the first VM (8 GiB+ root disk).
# After each apply: how long every host spent in each Ironic phase (m3lab.phases, read from Ironic).
# Running it again changes nothing. `make lab-down` removes the lab and these working copies.
#   scripts/lab-demo.sh [apply|plan|destroy]   plan: -detailed-exitcode of both (0: nothing to do)
# Environment: LAB_DIR (default .work/lab), METAL3_PROVIDER_BIN (a prebuilt provider: no cargo
# build; otherwise METAL3_DEMO_PROFILE, default release, as for make demo).
set -euo pipefail
action="${1:-apply}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAB_DIR="$(cd "${LAB_DIR:-$ROOT/.work/lab}" 2>/dev/null && pwd)" \
    || { echo "error: no lab state directory: run 'make lab-up' first" >&2; exit 1; }
LAB_JSON="$LAB_DIR/lab.json"
[[ -f "$LAB_JSON" ]] || { echo "error: no $LAB_JSON: run 'make lab-up' first" >&2; exit 1; }
export LAB_DIR
# The examples' helpers read a stack.json; the lab's is written from lab.json below.
export METAL3_DEMO_STACK_DIR="$LAB_DIR/run/stack" METAL3_RUN_DIR="$LAB_DIR/run"
source "$ROOT/scripts/lib/examples-env.sh"

terraform_env
bootstrap
install_provider
mkdir -p "$STACK_DIR"
"$VENV_PY" - "$LAB_JSON" "$STACK_JSON" <<'PY'
import json, sys
lab = json.load(open(sys.argv[1]))
img = lab["images"]["test_os"]
stack = {k: lab[k] for k in ("ironic_url", "deploy_kernel_url", "deploy_ramdisk_url", "redfish_url",
                             "redfish_username", "redfish_password")}
stack["redfish_systems"] = [{"uuid": vm["redfish_system_id"].rsplit("/", 1)[-1], "name": vm["name"], "mac": vm["boot_mac"]}
                            for vm in lab["vms"][1:]]
stack["images"] = {"qcow2_url": img["url"], "qcow2_sha256_url": img["checksum_url"]}
json.dump(stack, open(sys.argv[2], "w"), indent=2)
PY
require_stack
# The lab's Ironic asks for HTTP basic authentication (the provider reads these variables).
IRONIC_USERNAME="$("$VENV_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["ironic_username"])' "$LAB_JSON")"
IRONIC_PASSWORD="$("$VENV_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["ironic_password"])' "$LAB_JSON")"
export IRONIC_USERNAME IRONIC_PASSWORD
# apply_watched NAMESPACE: tf_apply of $WORKDIR while m3lab.phases times each node's Ironic phases.
apply_watched() {
    PYTHONPATH="$ROOT/acceptance-tests/lab:$ROOT/acceptance-tests/harness" \
        "$WORK/lab-venv/bin/python" -m m3lab.phases --lab-json "$LAB_JSON" --namespace "$1" -- \
        bash -c 'source "$1/scripts/lib/examples-env.sh"; terraform_env; WORKDIR="$2"; tf_apply' \
        _ "$ROOT" "$WORKDIR"
}

# quickstart: no fake hosts; the lab's VMs behind their Redfish BMCs, cleaned by the real agent.
use_quickstart() {
    export METAL3_EXAMPLE_VARS='{"namespace": "lab-quickstart", "fake_hosts": [], "redfish_scheme": "redfish-virtualmedia", "redfish_boot_mode": "legacy", "redfish_cleaning_mode": "metadata"}'
    prepare_workdir quickstart
    tf_init
}

# provision-image: the lab's test OS on the first VM's 10 GiB disk.
use_provision_image() {
    METAL3_EXAMPLE_VARS="$("$VENV_PY" - "$LAB_JSON" <<'PY'
import json, sys
lab = json.load(open(sys.argv[1]))
vm = lab["vms"][0]
print(json.dumps({"namespace": "lab-provision-image", "host_name": vm["name"], "bmc_address": vm["bmc_address"],
                  "bmc_username": lab["redfish_username"], "bmc_password": lab["redfish_password"],
                  "boot_mac_address": vm["boot_mac"], "boot_mode": "legacy",
                  "root_disk_min_size_gigabytes": 8}))
PY
)"
    export METAL3_EXAMPLE_VARS
    prepare_workdir provision-image
    tf_init
}

case "$action" in
    apply)
        use_quickstart
        say "terraform apply (quickstart): enroll, inspect with the real agent and clean every lab VM but the first; a few minutes under TCG"
        apply_watched lab-quickstart
        say "inventory (what the agent found in the VMs)"
        tf output -json | "$VENV_PY" "$ROOT/scripts/inventory_table.py"
        use_provision_image
        say "terraform apply (provision-image): enroll, inspect, clean and deploy the test OS to the first lab VM"
        apply_watched lab-provision-image
        tf output
        ;;
    plan)
        r1=0 r2=0
        use_quickstart; tf plan -input=false -detailed-exitcode || r1=$?
        use_provision_image; tf plan -input=false -detailed-exitcode || r2=$?
        exit $((r1 > r2 ? r1 : r2))
        ;;
    destroy)
        use_provision_image
        say "terraform destroy (provision-image): deprovision (the agent cleans the disk) and delete"
        tf destroy -input=false -auto-approve
        use_quickstart
        say "terraform destroy (quickstart)"
        tf destroy -input=false -auto-approve
        exit 0
        ;;
    *) die "unknown action '$action' (apply, plan, destroy)" ;;
esac

cat <<TXT

Working copies and state: ${RUN_DIR#"$ROOT"/}/{quickstart,provision-image}
  (TF_CLI_CONFIG_FILE=$TF_RC; IRONIC_USERNAME/IRONIC_PASSWORD from $LAB_JSON)
The first VM's serial console: $(sed -n 's/.*"console_log": "\(.*m3lab-vm-0[^"]*\)".*/\1/p' "$LAB_JSON")
Remove the lab, its VMs and these working copies: make lab-down
TXT
