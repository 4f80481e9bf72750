#!/usr/bin/env bash
# `make release`: the provider built for every platform this machine can build, packaged in dist/
# the way provider registries serve it (scripts/package_release.py writes the files).
#
#   linux_amd64, linux_arm64     static (musl) binaries, linked by zig through cargo-zigbuild
#   darwin_amd64, darwin_arm64   only with RELEASE_DARWIN=1, and it fails today: the link needs
#                                Apple's Security framework, which zig does not carry
#                                (docs/releasing.md)
#
# The Rust targets come from rustup, zig and cargo-zigbuild from PyPI into .work/venv (pinned in
# scripts/requirements-release.txt). The signing key: METAL3_RELEASE_GPG_KEY (ASCII-armoured
# secret key), else a throwaway key with a warning.
#
# Inputs are checked before the long build: the settings below, then the signing key and dist/
# (package_release.py --preflight). A failure exits 2 (bad setting) or 1, and dist/ is kept as it was.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { echo "release: $*"; }
refuse() { echo "release: error: $*" >&2; exit 2; }

if [[ $# -gt 0 ]]; then
    refuse "takes no arguments (got '$1'); settings come from the environment: RELEASE_DARWIN=0|1," \
        "METAL3_RELEASE_GPG_KEY, METAL3_RELEASE_GPG_PASSPHRASE, CARGO_TARGET_DIR (docs/releasing.md)"
fi
case "${RELEASE_DARWIN:-0}" in
    0 | 1) ;;
    *) refuse "RELEASE_DARWIN must be 0 or 1 (or unset), not '${RELEASE_DARWIN}'" ;;
esac
if [[ -n "${CARGO_TARGET_DIR:-}" && -e "$CARGO_TARGET_DIR" && ! -d "$CARGO_TARGET_DIR" ]]; then
    refuse "CARGO_TARGET_DIR ($CARGO_TARGET_DIR) is a file, not a folder; unset it or name a folder"
fi
for tool in "${PYTHON:-python3}" cargo rustup; do
    command -v "$tool" >/dev/null || { echo "release: error: $tool not found on PATH:" \
        "install Python 3.11+ and Rust through rustup (docs/releasing.md)" >&2; exit 1; }
done
# The key, its passphrase and dist/, before anything is built (the script reads the environment).
"${PYTHON:-python3}" scripts/package_release.py --preflight --out dist

scripts/bootstrap.sh
PY="$ROOT/.work/venv/bin/python"
"$PY" -m pip install -q -r scripts/requirements-release.txt
export PATH="$ROOT/.work/venv/bin:$PATH"

declare -A TARGETS=(
    [linux_amd64]=x86_64-unknown-linux-musl
    [linux_arm64]=aarch64-unknown-linux-musl
)
if [[ "${RELEASE_DARWIN:-0}" == 1 ]]; then
    TARGETS[darwin_amd64]=x86_64-apple-darwin
    TARGETS[darwin_arm64]=aarch64-apple-darwin
fi

rustup target add "${TARGETS[@]}" >/dev/null
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
binaries=()
for platform in $(printf '%s\n' "${!TARGETS[@]}" | sort); do
    triple="${TARGETS[$platform]}"
    say "building $platform ($triple)"
    cargo zigbuild --release --locked --target "$triple" -p terraform-provider-metal3 \
        --bin terraform-provider-metal3
    binaries+=(--binary "$platform=$target_dir/$triple/release/terraform-provider-metal3")
done

# Replaces dist/ only once every file is written and signed.
"$PY" scripts/package_release.py --out dist "${binaries[@]}"
for platform in $(printf '%s\n' "${!TARGETS[@]}" | sort); do
    bin="$target_dir/${TARGETS[$platform]}/release/terraform-provider-metal3"
    say "$platform: $(stat -c %s "$bin") bytes: $(file -b "$bin")"
done
# The arm64 binary runs here only under qemu-user: Debian's qemu-user-static, installed when the
# machine lacks it and apt-get can.
arm64="$target_dir/aarch64-unknown-linux-musl/release/terraform-provider-metal3"
if ! command -v qemu-aarch64-static >/dev/null && [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing Debian's qemu-user-static (to run the arm64 binary)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        qemu-user-static >/dev/null || say "could not install qemu-user-static"
fi
if command -v qemu-aarch64-static >/dev/null; then
    say "linux_arm64 under qemu: $(qemu-aarch64-static "$arm64" --version)"
else
    say "qemu-aarch64-static not installed: the arm64 binary was checked by file(1) only"
fi
say "done: $(ls dist | wc -l) files in dist/"
