#!/usr/bin/env python3
"""Packages built provider binaries as a release, in the layout every provider registry serves:

    DIR/terraform-provider-metal3_<v>_<os>_<arch>.zip   one per platform, holding the binary
                                                          terraform-provider-metal3_v<v>
    DIR/terraform-provider-metal3_<v>_manifest.json      terraform-registry-manifest.json (protocol 6.0)
    DIR/terraform-provider-metal3_<v>_SHA256SUMS         sha256 of every zip and of the manifest
    DIR/terraform-provider-metal3_<v>_SHA256SUMS.sig     detached binary GPG signature of SHA256SUMS
    DIR/terraform-provider-metal3_<v>_signing-key.asc    the public key it verifies with
    DIR/terraform-registry-manifest.json                 the repository's manifest, as registries read it

The signing key comes from the environment: METAL3_RELEASE_GPG_KEY holds an ASCII-armoured secret
key (METAL3_RELEASE_GPG_PASSPHRASE its passphrase, if any). Without it a throwaway key is made for
this run only, and the release is said to be unfit for publication. Zips are reproducible: fixed
timestamps and modes.

Usage: package_release.py --out DIR --binary OS_ARCH=PATH [--binary OS_ARCH=PATH ...]
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "terraform-provider-metal3"
PLATFORMS = {"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


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


class Signer:
    """gpg in a private home: the key is imported (or made) there and never touches ~/.gnupg."""

    def __init__(self, home: Path):
        self.home = home
        self.passphrase = os.environ.get("METAL3_RELEASE_GPG_PASSPHRASE", "")
        armoured = os.environ.get("METAL3_RELEASE_GPG_KEY", "").strip()
        self.throwaway = not armoured
        if armoured:
            self.gpg("--import", input=armoured)
        else:
            self.gpg("--passphrase", "", "--quick-gen-key",
                     "terraform-provider-metal3 throwaway release key <release@metal3.invalid>",
                     "rsa3072", "sign", "2d")
        keys = [line.split(":") for line in self.gpg("--list-secret-keys", "--with-colons").splitlines()]
        fingerprints = [f[9] for f in keys if f[0] == "fpr"]
        if not fingerprints:
            raise SystemExit("package_release: METAL3_RELEASE_GPG_KEY holds no secret key")
        self.fingerprint = fingerprints[0]
        self.key_id = self.fingerprint[-16:]

    def gpg(self, *args: str, input: str | None = None) -> str:
        proc = subprocess.run(["gpg", "--batch", "--homedir", str(self.home), "--no-tty", *args],
                              input=input, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"package_release: gpg {args[0]} failed: {proc.stderr.strip()}")
        return proc.stdout

    def sign(self, path: Path, signature: Path) -> None:
        self.gpg("--pinentry-mode", "loopback", "--passphrase-fd", "0", "--local-user",
                 self.fingerprint, "--detach-sign", "--output", str(signature), str(path),
                 input=self.passphrase + "\n")

    def public_key(self) -> str:
        return self.gpg("--armor", "--export", self.fingerprint)


@contextmanager
def signer():
    # A short path: gpg-agent's socket lives in the home directory.
    home = Path(tempfile.mkdtemp(prefix="m3gpg-", dir="/tmp"))
    home.chmod(0o700)
    try:
        yield Signer(home)
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"],
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def package(out: Path, binaries: dict, v: str | None = None) -> dict:
    """Writes the release files for `binaries` ({"linux_amd64": Path, ...}) into `out`; returns
    what was written: {"zips": {platform: Path}, "shasums", "signature", "key", "key_id",
    "manifest", "throwaway_key"}."""
    v = v or version()
    unknown = set(binaries) - PLATFORMS
    if unknown:
        raise SystemExit(f"package_release: unknown platform(s) {sorted(unknown)}; use {sorted(PLATFORMS)}")
    out.mkdir(parents=True, exist_ok=True)
    prefix = f"{NAME}_{v}"
    registry_manifest = ROOT / "terraform-registry-manifest.json"
    manifest = out / f"{prefix}_manifest.json"
    shutil.copyfile(registry_manifest, manifest)
    shutil.copyfile(registry_manifest, out / registry_manifest.name)
    zips = {}
    for platform, binary in sorted(binaries.items()):
        zips[platform] = out / f"{prefix}_{platform}.zip"
        inner = f"{NAME}_v{v}" + (".exe" if platform.startswith("windows") else "")
        zip_binary(Path(binary), zips[platform], inner)
    shasums = out / f"{prefix}_SHA256SUMS"
    listed = sorted([*zips.values(), manifest], key=lambda p: p.name)
    shasums.write_text("".join(f"{sha256(p)}  {p.name}\n" for p in listed))
    signature = out / f"{prefix}_SHA256SUMS.sig"
    key = out / f"{prefix}_signing-key.asc"
    with signer() as gpg:
        gpg.sign(shasums, signature)
        key.write_text(gpg.public_key())
        return {"zips": zips, "shasums": shasums, "signature": signature, "key": key,
                "key_id": gpg.key_id, "manifest": manifest, "throwaway_key": gpg.throwaway}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--binary", action="append", default=[], metavar="OS_ARCH=PATH")
    args = parser.parse_args(argv)
    binaries = dict(b.split("=", 1) for b in args.binary)
    if not binaries:
        parser.error("give at least one --binary OS_ARCH=PATH")
    done = package(args.out, binaries)
    for path in [*done["zips"].values(), done["manifest"], done["shasums"], done["signature"], done["key"]]:
        print(f"package_release: wrote {path.relative_to(args.out.parent) if path.is_relative_to(args.out.parent) else path}")
    print(f"package_release: SHA256SUMS signed by key {done['key_id']}")
    if done["throwaway_key"]:
        print("package_release: WARNING: signed with a throwaway key (no METAL3_RELEASE_GPG_KEY): "
              "fine for testing, not for publication", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
