#!/usr/bin/env python3
"""Packages built provider binaries as a release, in the layout every provider registry serves:

    DIR/terraform-provider-metal3_<v>_<os>_<arch>.zip   one per platform, holding the binary
                                                          terraform-provider-metal3_v<v>
    DIR/terraform-provider-metal3_<v>_manifest.json      terraform-registry-manifest.json (protocol 6.0)
    DIR/terraform-provider-metal3_<v>_SHA256SUMS         sha256 of every zip and of the manifest
    DIR/terraform-provider-metal3_<v>_SHA256SUMS.sig     detached binary GPG signature of SHA256SUMS
    DIR/terraform-provider-metal3_<v>_signing-key.asc    the public key it verifies with
    DIR/terraform-registry-manifest.json                 the repository's manifest, as registries read it

Before anything is written, each binary's header must match its platform (ELF for linux, Mach-O
for darwin, PE for windows, and the CPU), DIR must be new, empty or an earlier release, and the key
must sign. The files are made in a folder beside DIR and replace DIR only when all succeeded: a
failure leaves DIR as it was.

The signing key comes from the environment: METAL3_RELEASE_GPG_KEY holds an ASCII-armoured secret
key (METAL3_RELEASE_GPG_PASSPHRASE its passphrase, if any). Without it a throwaway key is made for
this run only, and the release is said to be unfit for publication. Zips are reproducible: fixed
timestamps and modes. METAL3_RELEASE_DEBUG=1 shows the traceback of an unexpected error.

Exit codes: 0 done, 1 signing or writing failed, 2 bad arguments (usage, --out, a --binary file).

Usage: package_release.py --out DIR --binary OS_ARCH=PATH [--binary OS_ARCH=PATH ...]
       package_release.py --preflight --out DIR [--binary OS_ARCH=PATH ...]
"""

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from release_binary import EXPECTED, check_file, shown
from release_gpg import KEY_VAR, PASSPHRASE_VAR, SigningError, signer

ROOT = Path(__file__).resolve().parent.parent
NAME = "terraform-provider-metal3"
PLATFORMS = set(EXPECTED)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
REGISTRY_MANIFEST = "terraform-registry-manifest.json"
DEBUG_VAR = "METAL3_RELEASE_DEBUG"
USAGE = "package_release.py --out DIR --binary OS_ARCH=PATH [--binary ...] (--help for more)"


class ReleaseError(Exception):
    """A one-line, secret-free reason the release was not made; nothing was written."""
    exit_code = 1


class UsageError(ReleaseError):
    exit_code = 2


def version() -> str:
    """The one version, from the Cargo workspace."""
    with (ROOT / "Cargo.toml").open("rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def zip_binary(binary: Path, dest: Path, inner: str) -> None:
    info = zipfile.ZipInfo(inner, date_time=ZIP_TIME)
    info.external_attr = (0o100755 << 16)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(dest, "w") as z, binary.open("rb") as data:
        z.writestr(info, data.read())


def parse_binary(text: str) -> tuple[str, Path]:
    """One `--binary OS_ARCH=PATH`."""
    platform, sep, path = text.partition("=")
    if not sep:
        raise UsageError(f"--binary {shown(text)!r}: takes OS_ARCH=PATH, e.g. "
                         "linux_amd64=target/x86_64-unknown-linux-musl/release/terraform-provider-metal3")
    if platform not in PLATFORMS:
        raise UsageError(f"--binary {shown(text)!r}: unknown platform {shown(platform)!r}; "
                         f"use one of {', '.join(sorted(PLATFORMS))}")
    if not path:
        raise UsageError(f"--binary {platform}=: no path after '='; give the binary's path")
    return platform, Path(path)


def parse_binaries(texts: list[str]) -> dict[str, Path]:
    binaries = {}
    for text in texts:
        platform, path = parse_binary(text)
        if platform in binaries:
            raise UsageError(f"--binary {platform} is given twice; give each platform once")
        binaries[platform] = path
    return binaries


def check_out(out: Path) -> Path:
    """The absolute --out, refused when replacing it could lose anything but an earlier release."""
    if str(out) in ("", "."):
        raise UsageError("--out must name the release folder, e.g. --out dist")
    out = Path(os.path.abspath(out))
    if out.parent == out:
        raise UsageError(f"--out {shown(str(out))}: cannot be the root folder; give e.g. --out dist")
    try:
        out.lstat()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise UsageError(f"--out {shown(str(out))}: cannot be used ({exc.strerror}); give e.g. --out dist") from None
    if out.is_symlink():
        raise UsageError(f"--out {shown(str(out))}: is a symbolic link; give the folder itself")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {shown(str(out))}: is a file, not a folder; give a new folder or an "
                         "earlier release's")
    if not out.parent.is_dir():
        raise UsageError(f"--out {shown(str(out))}: the folder {shown(str(out.parent))} that would hold "
                         "it does not exist; create it first")
    if out.is_dir():
        others = sorted(p.name for p in out.iterdir()
                        if not (p.is_file() and not p.is_symlink()
                                and (p.name.startswith(f"{NAME}_") or p.name == REGISTRY_MANIFEST)))
        if others:
            raise UsageError(f"--out {shown(str(out))}: holds {len(others)} entries that are not release "
                             f"files (e.g. {shown(others[0])!r}) and would be deleted; give a new or "
                             "empty folder, or an earlier release's (which is replaced)")
    return out


def check_binaries(binaries: dict) -> dict[str, Path]:
    unknown = sorted(set(binaries) - PLATFORMS)
    if unknown:
        raise UsageError(f"unknown platform {shown(unknown[0])!r}; use one of {', '.join(sorted(PLATFORMS))}")
    checked = {}
    for platform, path in sorted(binaries.items()):
        path = Path(path)
        reason = check_file(platform, path)
        if reason:
            raise UsageError(f"--binary {platform}={shown(str(path))}: {reason}")
        checked[platform] = path
    return checked


def signing_settings(environ) -> tuple[str | None, str]:
    """(armoured key or None for a throwaway key, passphrase) from the environment."""
    key = environ.get(KEY_VAR)
    passphrase = environ.get(PASSPHRASE_VAR, "")
    if key is not None and not key.strip():
        raise ReleaseError(f"{KEY_VAR} is set but empty (did `gpg --armor --export-secret-keys <key id>` "
                           "find no key?); set it to the key, or unset it to sign with a throwaway key")
    if key is None and passphrase:
        raise ReleaseError(f"{PASSPHRASE_VAR} is set but {KEY_VAR} is not: set {KEY_VAR} to the key "
                           "it unlocks (or unset both to sign with a throwaway key)")
    if "\n" in passphrase or "\r" in passphrase:
        raise ReleaseError(f"{PASSPHRASE_VAR} holds a line break; gpg reads the passphrase as one line")
    return (key.strip() if key is not None else None), passphrase


def write_release(staging: Path, binaries: dict[str, Path], gpg, v: str) -> dict:
    """The release files in `staging`, keyed by role."""
    prefix = f"{NAME}_{v}"
    manifest = staging / f"{prefix}_manifest.json"
    shutil.copyfile(ROOT / REGISTRY_MANIFEST, manifest)
    shutil.copyfile(ROOT / REGISTRY_MANIFEST, staging / REGISTRY_MANIFEST)
    zips = {}
    for platform, binary in sorted(binaries.items()):
        zips[platform] = staging / f"{prefix}_{platform}.zip"
        inner = f"{NAME}_v{v}" + (".exe" if platform.startswith("windows") else "")
        zip_binary(binary, zips[platform], inner)
    shasums = staging / f"{prefix}_SHA256SUMS"
    listed = sorted([*zips.values(), manifest], key=lambda p: p.name)
    shasums.write_text("".join(f"{sha256(p)}  {p.name}\n" for p in listed))
    signature = staging / f"{prefix}_SHA256SUMS.sig"
    gpg.sign(shasums, signature)
    key = staging / f"{prefix}_signing-key.asc"
    key.write_text(gpg.public_key())
    return {"zips": zips, "shasums": shasums, "signature": signature, "key": key, "manifest": manifest}


def replace_folder(staging: Path, out: Path) -> None:
    """`staging` becomes `out`; an earlier `out` is removed only once the new one is in place."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old)
    try:
        os.replace(staging, out)
    except BaseException:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def preflight(out: Path, binaries: dict, environ=None) -> dict:
    """Every check `package` makes before writing; nothing is written. {"key_id", "throwaway_key"}."""
    environ = os.environ if environ is None else environ
    check_out(out)
    check_binaries(binaries)
    armoured, passphrase = signing_settings(environ)
    try:
        with signer(armoured, passphrase) as gpg:
            return {"key_id": gpg.key_id, "throwaway_key": gpg.throwaway}
    except SigningError as exc:
        raise ReleaseError(str(exc)) from None


def package(out: Path, binaries: dict, v: str | None = None, environ=None) -> dict:
    """Writes the release files for `binaries` ({"linux_amd64": Path, ...}) as the folder `out`,
    replacing an earlier release there; returns what was written: {"zips": {platform: Path},
    "shasums", "signature", "key", "key_id", "manifest", "throwaway_key"}. Raises ReleaseError
    (nothing written) when an argument, the key or a write fails."""
    environ = os.environ if environ is None else environ
    v = v or version()
    out = check_out(out)
    binaries = check_binaries(binaries)
    armoured, passphrase = signing_settings(environ)
    try:
        with signer(armoured, passphrase) as gpg:
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
            try:
                staging.chmod(0o755)
                written = write_release(staging, binaries, gpg, v)
                replace_folder(staging, out)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            done = {role: out / path.name for role, path in written.items() if role != "zips"}
            done["zips"] = {platform: out / path.name for platform, path in written["zips"].items()}
            return {**done, "key_id": gpg.key_id, "throwaway_key": gpg.throwaway}
    except SigningError as exc:
        raise ReleaseError(str(exc)) from None
    except OSError as exc:
        raise ReleaseError(f"writing the release beside --out {shown(str(out))} failed: "
                           f"{exc.strerror or exc}; nothing was changed") from None


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message}; usage: {USAGE}")


def parse_args(argv):
    parser = Parser(prog="package_release.py", description=__doc__.split("\n\n")[0],
                    formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False,
                    epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--out", action="append", default=[], metavar="DIR",
                        help="the release folder: new, empty, or an earlier release (replaced)")
    parser.add_argument("--binary", action="append", default=[], metavar="OS_ARCH=PATH",
                        help=f"a built binary and its platform, one of {', '.join(sorted(PLATFORMS))}")
    parser.add_argument("--preflight", action="store_true",
                        help="check --out, the binaries given and the signing key; write nothing")
    args = parser.parse_args(argv)
    if not args.out:
        raise UsageError(f"--out DIR is required; usage: {USAGE}")
    if len(args.out) > 1:
        raise UsageError("--out is given more than once; give one release folder")
    binaries = parse_binaries(args.binary)
    if not binaries and not args.preflight:
        raise UsageError(f"give at least one --binary OS_ARCH=PATH; usage: {USAGE}")
    return Path(args.out[0]), binaries, args.preflight


def run(argv) -> int:
    out, binaries, only_check = parse_args(argv)
    if only_check:
        done = preflight(out, binaries)
        print(f"package_release: preflight passed: --out {shown(str(out))} can be written, "
              f"{len(binaries)} binaries fit their platforms, key {done['key_id']} signs")
    else:
        done = package(out, binaries)
        base = Path(os.path.abspath(out)).parent
        for path in [*done["zips"].values(), done["manifest"], done["shasums"], done["signature"], done["key"]]:
            print(f"package_release: wrote {path.relative_to(base) if path.is_relative_to(base) else path}")
        print(f"package_release: SHA256SUMS signed by key {done['key_id']}")
    if done["throwaway_key"]:
        print(f"package_release: WARNING: signed with a throwaway key (no {KEY_VAR}): "
              "fine for testing, not for publication", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except ReleaseError as exc:
        print(f"package_release: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("package_release: interrupted; --out was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line for the operator, the traceback on request
        if os.environ.get(DEBUG_VAR) == "1":
            raise
        print(f"package_release: unexpected error: {type(exc).__name__}: {shown(str(exc))} "
              f"(set {DEBUG_VAR}=1 for the traceback); --out was left as it was", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
