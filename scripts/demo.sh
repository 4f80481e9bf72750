#!/usr/bin/env bash
# `make demo`: local Ironic + emulated BMCs, then `terraform apply` of examples/quickstart and
# the inventory as a table. Running it again changes nothing and prints the same table.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/examples-env.sh"

terraform_env
bootstrap
install_provider
ensure_stack
prepare_workdir quickstart

say "terraform init (provider $PROVIDER_ADDRESS $PROVIDER_VERSION from ${MIRROR#"$ROOT"/})"
tf_init
say "terraform apply: enroll + inspect every host (the first run takes a few minutes)"
echo "    provider log with state transitions: ${WORKDIR#"$ROOT"/}/provider.log"
tf_apply

say "inventory"
tf output -json | "$VENV_PY" "$ROOT/scripts/inventory_table.py"

cat <<TXT

Working copy and state: ${WORKDIR#"$ROOT"/}   (cd there and run .work/bin/terraform by hand, with
  TF_CLI_CONFIG_FILE=$TF_RC)
Other examples against this stack: scripts/example.sh provision-image | live-iso |
  import-externally-provisioned | inventory-data-source
Stop the stack: make down     Remove everything generated but the venv: make clean
TXT
