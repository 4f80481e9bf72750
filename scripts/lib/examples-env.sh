# Shared by scripts/demo.sh and scripts/example.sh (sourced, not run).
# Everything generated lives under .work/ (ignored by git): the provider mirror, the Terraform CLI
# config, the demo stack and one working copy per example with its state and logs.
# METAL3_DEMO_STACK_DIR, METAL3_RUN_DIR and METAL3_TF_MIRROR move the stack, the working copies
# and the provider mirror (with its CLI config beside it, <mirror>.tfrc) elsewhere: the acceptance
# tests run every example in temporary directories against their own stack.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/.work"
VENV_PY="$WORK/venv/bin/python"
TERRAFORM="$WORK/bin/terraform"
STACK_DIR="${METAL3_DEMO_STACK_DIR:-$WORK/demo-stack}"
STACK_JSON="$STACK_DIR/stack.json"
RUN_DIR="${METAL3_RUN_DIR:-$WORK/run}"
# The provider's version and registry address live in Cargo.toml.
PROVIDER_VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml")"
PROVIDER_ADDRESS="$(sed -n '/^\[workspace.metadata.provider\]/,/^\[/s/^address = "\(.*\)"/\1/p' "$ROOT/Cargo.toml")"
[[ -n "$PROVIDER_VERSION" && -n "$PROVIDER_ADDRESS" ]] || {
    echo "error: cannot read the provider's version and address from Cargo.toml" >&2
    exit 1
}
MIRROR="${METAL3_TF_MIRROR:-$WORK/tf-mirror}"
MIRROR_BIN="$MIRROR/$PROVIDER_ADDRESS/$PROVIDER_VERSION/linux_amd64/terraform-provider-metal3_v$PROVIDER_VERSION"
if [[ -n "${METAL3_TF_MIRROR:-}" ]]; then
    TF_RC="${METAL3_TF_MIRROR%/}.tfrc"
else
    TF_RC="$WORK/examples.tfrc"
fi

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Terraform must never read the machine's stray ~/.terraformrc or phone home.
terraform_env() {
    mkdir -p "$WORK" "$(dirname "$TF_RC")"
    cat >"$TF_RC" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["$PROVIDER_ADDRESS"]
  }
}
RC
    export TF_CLI_CONFIG_FILE="$TF_RC"
    export CHECKPOINT_DISABLE=1
    export TF_IN_AUTOMATION=1
}

bootstrap() {
    if [[ -x "$ROOT/scripts/bootstrap.sh" ]]; then
        say "bootstrap (.work/venv, Terraform launcher)"
        "$ROOT/scripts/bootstrap.sh"
    fi
    [[ -x "$VENV_PY" ]] || die "$VENV_PY missing: scripts/bootstrap.sh did not create the venv"
    [[ -x "$TERRAFORM" ]] || die "$TERRAFORM missing: scripts/bootstrap.sh did not create the launcher"
}

# Build the provider (METAL3_DEMO_PROFILE=debug for a faster, unoptimised build) and place it
# in the filesystem mirror. The copy is replaced only when the binary changed, so an unchanged
# provider keeps matching the checksums in each working copy's lock file.
install_provider() {
    local profile="${METAL3_DEMO_PROFILE:-release}" bin
    if [[ -n "${METAL3_PROVIDER_BIN:-}" ]]; then
        bin="$METAL3_PROVIDER_BIN"
    else
        say "cargo build --profile $profile -p terraform-provider-metal3"
        (cd "$ROOT" && cargo build --profile "$profile" -p terraform-provider-metal3)
        local dir="$profile"
        [[ "$profile" == dev ]] && dir=debug
        bin="$ROOT/target/$dir/terraform-provider-metal3"
    fi
    [[ -x "$bin" ]] || die "provider binary $bin not found"
    mkdir -p "$(dirname "$MIRROR_BIN")"
    if ! cmp -s "$bin" "$MIRROR_BIN"; then
        install -m 0755 "$bin" "$MIRROR_BIN"
    fi
}

stack_is_up() {
    [[ -f "$STACK_JSON" ]] || return 1
    "$VENV_PY" - "$STACK_JSON" <<'PY'
import json, sys, urllib.request
url = json.load(open(sys.argv[1]))["ironic_url"]
try:
    urllib.request.urlopen(url + "/", timeout=3).read()
except Exception:
    sys.exit(1)
PY
}

m3stack() {
    PYTHONPATH="$ROOT/acceptance-tests/harness${PYTHONPATH:+:$PYTHONPATH}" \
        "$VENV_PY" -m m3stack "$@"
}

ensure_stack() {
    if stack_is_up; then
        say "test stack already up ($STACK_JSON)"
        return
    fi
    if [[ -f "$STACK_JSON" ]]; then
        say "stale stack in $STACK_DIR: stopping it first"
        m3stack down --dir "$STACK_DIR" || true
    fi
    say "starting the test stack: Ironic, Redfish BMC emulator, file server, inspection agent"
    m3stack up --dir "$STACK_DIR"
    stack_is_up || die "the stack did not come up; see $STACK_DIR"
}

require_stack() {
    stack_is_up || die "no running stack in $STACK_DIR: run 'make demo' first (or METAL3_DEMO_STACK_DIR=...)"
}

# Copy examples/<name> into .work/run/<name> (state, lock file and .terraform stay there, and
# configuration generated there, *.generated.tf) and write stack.auto.tfvars.json for it.
prepare_workdir() {
    local name="$1" src="$ROOT/examples/$1" dst="$RUN_DIR/$1"
    [[ -d "$src" ]] || die "no example '$name'; have: $(ls "$ROOT/examples" | tr '\n' ' ')"
    mkdir -p "$dst"
    find "$dst" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tftpl' -o -name '*.yaml' \
        -o -name '*.tfquery.hcl' \) ! -name '*.generated.tf' -delete
    find "$src" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tftpl' -o -name '*.yaml' \
        -o -name '*.tfquery.hcl' \) -exec cp {} "$dst/" \;
    "$VENV_PY" "$ROOT/scripts/example_tfvars.py" "$STACK_JSON" "$src" "$dst/stack.auto.tfvars.json"
    WORKDIR="$dst"
}

tf() { "$TERRAFORM" -chdir="$WORKDIR" "$@"; }

tf_init() {
    # A rebuilt provider has new checksums: forget the old lock instead of failing on it.
    if ! tf init -input=false >"$WORKDIR/init.log" 2>&1; then
        rm -f "$WORKDIR/.terraform.lock.hcl"
        tf init -input=false -upgrade >"$WORKDIR/init.log" 2>&1 \
            || { cat "$WORKDIR/init.log" >&2; die "terraform init failed"; }
    fi
}

# Apply with the provider's INFO log (state transitions with elapsed time) in
# $WORKDIR/provider.log, and its state-transition lines echoed while Terraform waits.
tf_apply() {
    local log="$WORKDIR/provider.log" tail_pid="" rc=0
    : >"$log"
    # $! is tail itself (the filter runs in a process substitution), so it is stopped by its id.
    tail -n0 -F "$log" 2>/dev/null > >(
        grep --line-buffered -iE 'state|transition|inspect|deploy|clean|adopt' \
            | sed -u 's/^/    [provider] /'
    ) &
    tail_pid=$!
    TF_LOG_PROVIDER="${TF_LOG_PROVIDER:-INFO}" TF_LOG_PATH="$log" \
        tf apply -input=false -auto-approve "$@" || rc=$?
    sleep 0.5
    kill "$tail_pid" 2>/dev/null || true
    wait "$tail_pid" 2>/dev/null || true
    return "$rc"
}
