#!/usr/bin/env bash
# `make release`: the provider built for every platform its users run Terraform on, packaged in
# dist/ the way provider registries serve it (scripts/package_release.py writes the files).
#
#   linux_amd64, linux_arm64     static (musl) binaries, linked by zig through cargo-zigbuild
#   darwin_amd64, darwin_arm64   Mach-O binaries loading only libSystem, for macOS 11 and later;
#                                C code compiled by zig, linked by rust-lld (LLVM's ld64.lld, shipped
#                                with the Rust toolchain) against zig's libSystem stub, which signs
#                                the arm64 binary ad hoc as Apple silicon requires. No macOS SDK.
#
# Every binary is checked before packaging (scripts/check_release_binaries.py): format, CPU, the
# libraries it loads, and the arm64 Mach-O's code signature. docs/releasing.md says why each step
# is as it is. The Rust targets come from rustup, zig and cargo-zigbuild from PyPI into .work/venv
# (pinned in scripts/requirements-release.txt). The signing key: METAL3_RELEASE_GPG_KEY
# (ASCII-armoured secret key), else a throwaway key with a warning.
#
# Inputs are checked before the long build: the settings below, then the signing key and dist/
# (package_release.py --preflight). A failure exits 2 (bad setting) or 1, and dist/ is kept as it was.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { echo "release: $*"; }
refuse() { echo "release: error: $*" >&2; exit 2; }

if [[ $# -gt 0 ]]; then
    refuse "takes no arguments (got '$1'); settings come from the environment:" \
        "METAL3_RELEASE_GPG_KEY, METAL3_RELEASE_GPG_PASSPHRASE, CARGO_TARGET_DIR (docs/releasing.md)"
fi
if [[ -n "${RELEASE_DARWIN:-}" ]]; then
    refuse "RELEASE_DARWIN is no longer read: every release builds macOS; unset it"
fi
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
    [darwin_amd64]=x86_64-apple-darwin
    [darwin_arm64]=aarch64-apple-darwin
)
rustup target add "${TARGETS[@]}" >/dev/null
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"

# macOS links against stubs, not an SDK: zig's libSystem.tbd (the symbols libSystem exports) under
# the names rustc asks for; libc, libm and libiconv are parts of libSystem on macOS, and
# -dead_strip_dylibs drops any that nothing uses, so the binary loads libSystem alone.
macos_stubs="$ROOT/.work/macos-link-stubs"
zig_lib="$("$PY" -c 'import os, ziglang; print(os.path.dirname(ziglang.__file__))')/lib/libc/darwin"
[[ -f "$zig_lib/libSystem.tbd" ]] || { echo "release: error: zig's libSystem.tbd is missing from" \
    "$zig_lib (is ziglang from scripts/requirements-release.txt installed?)" >&2; exit 1; }
rm -rf "$macos_stubs" && mkdir -p "$macos_stubs"
for lib in System c m iconv; do ln -s "$zig_lib/libSystem.tbd" "$macos_stubs/lib$lib.tbd"; done

binaries=()
checks=()
for platform in $(printf '%s\n' "${!TARGETS[@]}" | sort); do
    triple="${TARGETS[$platform]}"
    say "building $platform ($triple)"
    if [[ "$platform" == darwin_* ]]; then
        # zig's own Mach-O linker (0.15.2) crashes on this binary; rust-lld links it and signs
        # the arm64 binary ad hoc. These flags reach the final link only (`cargo rustc`).
        # -S: no debug map, whose paths into rustc's random temporary folder would otherwise
        # change LC_UUID (a hash of the output), and with it the signature, on every build.
        # MACOSX_DEPLOYMENT_TARGET: the oldest macOS it runs on (the first with Apple silicon),
        # for rustc and zig alike; zig's default is newer.
        MACOSX_DEPLOYMENT_TARGET=11.0 cargo-zigbuild rustc --release --locked --target "$triple" -p terraform-provider-metal3 \
            --bin terraform-provider-metal3 -- -C linker=rust-lld -C linker-flavor=ld64.lld \
            -C link-arg=-L"$macos_stubs" -C link-arg=-dead_strip_dylibs -C link-arg=-S
    else
        cargo zigbuild --release --locked --target "$triple" -p terraform-provider-metal3 \
            --bin terraform-provider-metal3
    fi
    binaries+=(--binary "$platform=$target_dir/$triple/release/terraform-provider-metal3")
    checks+=("$platform=$target_dir/$triple/release/terraform-provider-metal3")
done

# Format, CPU, the libraries each binary loads, the arm64 Mach-O's signature: refused before
# anything is packaged.
"$PY" scripts/check_release_binaries.py "${checks[@]}"

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
