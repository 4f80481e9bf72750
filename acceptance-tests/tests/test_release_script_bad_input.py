"""The release script given bad input, option by option and variable by variable, as an operator
could: scripts/package_release.py (--out, --binary, --preflight, METAL3_RELEASE_GPG_KEY,
METAL3_RELEASE_GPG_PASSPHRASE, METAL3_RELEASE_DEBUG) and scripts/release.sh (its arguments, the
obsolete RELEASE_DARWIN, CARGO_TARGET_DIR, and the key checked before the build).

Each case asserts the exit code, a phrase saying what is allowed or what to do, one line on stderr
and no traceback, the message listed in docs/guides/troubleshooting.md, the output folder
byte-identical to before (or still absent) with nothing left beside it, and no passphrase or key
material in any output. Binaries are small crafted headers
(every format and CPU the script knows); the good path packages the provider under test. gpg runs
in temporary homes; no network.
"""

import hashlib
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from m3stack.testkit import PROJECT_ROOT, PROVIDER_VERSION

SCRIPTS = PROJECT_ROOT / "scripts"
sys.path.insert(0, str(SCRIPTS))
import release_binary  # noqa: E402

PASSPHRASE = "Zq8-release-passphrase-never-printed"
WRONG_PASSPHRASE = "Kx3-wrong-passphrase-never-printed"
SECRET_IN_ARMOUR = "Vr7SecretLineFromTheKeyFile"
PREFIX = f"terraform-provider-metal3_{PROVIDER_VERSION}"
RELEASE_VARS = ("METAL3_RELEASE_GPG_KEY", "METAL3_RELEASE_GPG_PASSPHRASE", "METAL3_RELEASE_DEBUG",
                "RELEASE_DARWIN", "CARGO_TARGET_DIR")


# --- crafted headers: the first bytes of each kind of file, as the formats define them ----------

def elf(machine: int, bits: int = 64, order: int = 1, etype: int = 2, osabi: int = 0) -> bytes:
    pack = "<" if order == 1 else ">"
    head = b"\x7fELF" + bytes([{64: 2, 32: 1}[bits], order, 1, osabi]) + bytes(8)
    return (head + struct.pack(pack + "HHI", etype, machine, 1)).ljust(64, b"\0") + bytes(64)


def macho(cputype: int, magic: int = 0xFEEDFACF, filetype: int = 2) -> bytes:
    return struct.pack("<IIiI", magic, cputype, 3, filetype).ljust(32, b"\0") + bytes(64)


def fat(*cputypes: int) -> bytes:
    head = struct.pack(">II", 0xCAFEBABE, len(cputypes))
    return head + b"".join(struct.pack(">iiIII", cpu, 0, 4096 * (i + 1), 64, 12)
                           for i, cpu in enumerate(cputypes)) + bytes(64)


def pe(machine: int, characteristics: int = 0x0022, optional: int = 0x20B) -> bytes:
    head = b"MZ".ljust(0x3C, b"\0") + struct.pack("<I", 0x80)
    head = head.ljust(0x80, b"\0") + b"PE\0\0"
    return head + struct.pack("<HHIIIHHH", machine, 3, 0, 0, 0, 0xF0, characteristics, optional) + bytes(64)


X86_64, ARM64 = 0x01000007, 0x0100000C
HEADERS = {
    # accepted, each for one platform
    "elf_amd64": elf(62), "elf_amd64_pie": elf(62, etype=3), "elf_linux_abi": elf(62, osabi=3),
    "elf_arm64": elf(183), "macho_amd64": macho(X86_64), "macho_arm64": macho(ARM64),
    "pe_amd64": pe(0x8664),
    # refused everywhere
    "elf_i386": elf(3, bits=32), "elf_arm32": elf(40, bits=32), "elf_riscv": elf(243),
    "elf_big_endian": elf(21, order=2), "elf_object": elf(62, etype=1), "elf_core": elf(62, etype=4),
    "elf_freebsd": elf(62, osabi=9), "elf_truncated": elf(62)[:40],
    "macho_i386": macho(7, magic=0xFEEDFACE), "macho_dylib": macho(ARM64, filetype=6),
    "macho_object": macho(X86_64, filetype=1), "macho_big_endian": b"\xfe\xed\xfa\xcf" + bytes(60),
    "fat_both": fat(X86_64, ARM64), "fat_arm64_only": fat(ARM64), "java_class": b"\xca\xfe\xba\xbe\0\0\0\x34" + bytes(64),
    "pe_arm64": pe(0xAA64), "pe_i386": pe(0x14C, optional=0x10B), "pe_dll": pe(0x8664, characteristics=0x2022),
    "dos_only": b"MZ" + bytes(62),
    "script": b"#!/bin/sh\necho 'I am not a provider'\n", "text": b"terraform-provider-metal3\n",
    "zip": b"PK\x03\x04" + bytes(60), "gzip": b"\x1f\x8b\x08" + bytes(60), "empty": b"",
    "random": bytes(range(200, 256)) * 4,
}
ACCEPTED = {"elf_amd64": "linux_amd64", "elf_amd64_pie": "linux_amd64", "elf_linux_abi": "linux_amd64",
            "elf_arm64": "linux_arm64", "macho_amd64": "darwin_amd64", "macho_arm64": "darwin_arm64",
            "pe_amd64": "windows_amd64"}


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_each_header_fits_its_platform_only(name):
    """Every crafted header against every platform: accepted on its own platform, refused on the
    others with what it is and what was expected."""
    for platform in sorted(release_binary.EXPECTED):
        reason = release_binary.problem(platform, HEADERS[name])
        if ACCEPTED.get(name) == platform:
            assert reason is None, (name, platform, reason)
        else:
            assert reason and f"; expected {release_binary.EXPECTED[platform].words} ({platform})" in reason, \
                (name, platform, reason)
            assert "\n" not in reason


def test_header_descriptions_say_what_the_file_is():
    words = {name: release_binary.identify(head).words for name, head in HEADERS.items()}
    assert words["elf_arm64"] == "a 64-bit ELF executable for arm64"
    assert words["elf_i386"] == "a 32-bit ELF executable for x86 (32-bit)"
    assert words["elf_freebsd"] == "a 64-bit ELF executable for x86-64 for FreeBSD"
    assert words["elf_object"] == "a 64-bit ELF relocatable object for x86-64"
    assert words["macho_arm64"] == "a 64-bit Mach-O executable for arm64"
    assert words["macho_dylib"] == "a 64-bit Mach-O dynamic library for arm64"
    assert words["macho_i386"] == "a 32-bit Mach-O executable for x86 (32-bit)"
    # Universal binaries are refused on purpose, with the architectures they hold and the fix.
    assert words["fat_both"].startswith("a universal (fat) Mach-O binary holding x86-64, arm64;")
    assert "lipo -thin" in words["fat_both"]
    assert words["fat_arm64_only"].startswith("a universal (fat) Mach-O binary holding arm64;")
    assert "Java class" in words["java_class"]
    assert words["pe_amd64"] == "a PE32+ (64-bit) Windows executable for x86-64"
    assert words["pe_dll"] == "a PE32+ (64-bit) Windows DLL for x86-64"
    assert words["pe_i386"] == "a PE32 (32-bit) Windows executable for x86 (32-bit)"
    assert words["script"] == "a script (#!/bin/sh), not a compiled binary"
    assert words["empty"] == "empty (0 bytes)"
    assert words["random"] == "not an executable format (it starts with bytes c8 c9 ca cb)"


# --- keys, made once in a temporary gpg home ------------------------------------------------------

def subkey_of(gpg, fingerprint, usage, faked_time, algo="ed25519"):
    """Adds a subkey (at `faked_time`, so it can be made already expired)."""
    faked = ["--faked-system-time", faked_time] if faked_time else []
    gpg(*faked, "--passphrase", "", "--quick-add-key", fingerprint, algo, usage, "1d")


@pytest.fixture(scope="module")
def keys():
    """ASCII-armoured keys, as `gpg --armor --export-secret-keys` gives them: plain, protected by
    PASSPHRASE, expired, revoked, a public key only, two secret keys in one export."""
    home = Path(tempfile.mkdtemp(prefix="m3keys-", dir="/tmp"))  # short: gpg-agent's socket
    home.chmod(0o700)

    def gpg(*args, **kw):
        return subprocess.run(["gpg", "--batch", "--homedir", str(home), *args], check=True,
                              capture_output=True, text=True, **kw).stdout

    def make(uid, *options, passphrase="", algo="ed25519", usage="sign", expire="1d"):
        gpg(*options, "--passphrase", passphrase, "--quick-gen-key", uid, algo, usage, expire)
        return next(line.split(":")[9] for line in gpg("--list-keys", "--with-colons", uid).splitlines()
                    if line.startswith("fpr:"))

    try:
        plain = make("Plain <plain@release.invalid>")
        protected = make("Protected <protected@release.invalid>", passphrase=PASSPHRASE)
        expired = make("Expired <expired@release.invalid>", "--faked-system-time", "20200101T000000")
        revoked = make("Revoked <revoked@release.invalid>")
        certify_only = make("Certify only <certify@release.invalid>", "--faked-system-time", "20200101T000000",
                            usage="cert", expire="20y")
        subkey_of(gpg, certify_only, "sign", "20200601T000000")
        encrypt_only = make("Encrypt only <encrypt@release.invalid>", usage="cert")
        subkey_of(gpg, encrypt_only, "encr", None, algo="cv25519")
        offline = make("Offline <offline@release.invalid>")
        subkey_of(gpg, offline, "encr", None, algo="cv25519")
        signing_subkey = make("Signing subkey <subkey@release.invalid>", usage="cert")
        subkey_of(gpg, signing_subkey, "sign", None)
        certificate = (home / "openpgp-revocs.d" / f"{revoked}.rev").read_text().replace(":-----BEGIN", "-----BEGIN")
        gpg("--import", input=certificate)
        out = {
            "plain": gpg("--armor", "--export-secret-keys", plain),
            "protected": gpg("--pinentry-mode", "loopback", "--passphrase", PASSPHRASE, "--armor",
                             "--export-secret-keys", protected),
            "expired": gpg("--armor", "--export-secret-keys", expired),
            "revoked": gpg("--armor", "--export-secret-keys", revoked),
            "public": gpg("--armor", "--export", plain),
            "two": gpg("--armor", "--export-secret-keys", plain, revoked),
            "expired_subkey": gpg("--armor", "--export-secret-keys", certify_only),
            "encrypt_only": gpg("--armor", "--export-secret-keys", encrypt_only),
            # The primary's secret left out: it signs, but is "offline".
            "offline": gpg("--armor", "--export-secret-subkeys", offline),
            # The usual layout of a release key kept offline: only the signing subkey exported.
            "signing_subkey": gpg("--armor", "--export-secret-subkeys", signing_subkey),
            "fingerprints": {"plain": plain, "protected": protected, "signing_subkey": signing_subkey},
        }
        lines = out["plain"].splitlines()
        out["truncated"] = "\n".join(lines[:len(lines) // 2]) + "\n"
        out["damaged"] = ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n"
                          f"Comment: {SECRET_IN_ARMOUR}\n{SECRET_IN_ARMOUR} is not a header\n\n"
                          "lQVYBGXXXXsecretmaterial\n-----END PGP PRIVATE KEY BLOCK-----\n")
        yield out
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def secrets(keys) -> list[str]:
    """What must never be printed: the passphrases and the body lines of every secret key."""
    found = [PASSPHRASE, WRONG_PASSPHRASE, SECRET_IN_ARMOUR]
    for name in ("plain", "protected", "expired", "revoked", "two", "expired_subkey", "encrypt_only",
                 "offline", "signing_subkey"):
        found += [line for line in keys[name].splitlines() if len(line) >= 40 and not line.startswith("-----")]
    return found


# --- running the scripts and watching their folder ------------------------------------------------

@pytest.fixture(scope="module")
def binaries(tmp_path_factory):
    folder = tmp_path_factory.mktemp("binaries")
    for name, head in HEADERS.items():
        (folder / name).write_bytes(head)
    (folder / "folder").mkdir()
    os.mkfifo(folder / "fifo")
    (folder / "unreadable").write_bytes(HEADERS["elf_amd64"])
    (folder / "unreadable").chmod(0)
    (folder / "link_to_missing").symlink_to(folder / "nowhere")
    return folder


def snapshot(folder: Path) -> dict:
    """Every entry under `folder`: bytes of files, None for folders, the target of links."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            found[rel] = ("link", os.readlink(path))
        elif path.is_dir():
            found[rel] = None
        else:
            found[rel] = path.read_bytes()
    return found


EARLIER = {f"terraform-provider-metal3_0.0.9_linux_amd64.zip": b"an earlier release's zip\n",
           "terraform-provider-metal3_0.0.9_SHA256SUMS": b"0" * 64 + b"  earlier.zip\n",
           "terraform-registry-manifest.json": b'{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}'}


def prepare(work: Path, out_state: str) -> None:
    """The folder the script runs in: `dist` absent, an earlier release, a file, or other files."""
    work.mkdir()
    dist = work / "dist"
    if out_state == "earlier":
        dist.mkdir()
        for name, data in EARLIER.items():
            (dist / name).write_bytes(data)
    elif out_state == "file":
        dist.write_bytes(b"not a folder\n")
    elif out_state == "other_files":
        dist.mkdir()
        (dist / "notes.txt").write_text("the operator's notes\n")
        (dist / "terraform-registry-manifest.json").write_bytes(b"{}")
    elif out_state == "subfolder":
        dist.mkdir()
        (dist / "terraform-provider-metal3_old").mkdir()
    elif out_state == "symlink":
        (work / "real").mkdir()
        dist.symlink_to(work / "real")
    elif out_state == "read_only":
        prepare_earlier = work / "dist"
        prepare_earlier.mkdir()
        for name, data in EARLIER.items():
            (prepare_earlier / name).write_bytes(data)
        work.chmod(0o555)


def clean_env(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in RELEASE_VARS}
    env.update(extra)
    return env


def numbers_as_n(text: str) -> str:
    return re.sub(r"(?<= )\d+(?= )", "N", text)


TROUBLESHOOTING = numbers_as_n(" ".join((PROJECT_ROOT / "docs" / "guides" / "troubleshooting.md").read_text().split(
    "\n## Release script (`make release`)\n")[-1].split("\n## ")[0].replace("`", "").split()))


def documented_as(message: str) -> str:
    """The first fixed words of a message, after its prefix and the argument it names (platforms
    read P, counts N): what the troubleshooting guide lists it under."""
    message = re.sub(r"^(package_release|release): (error: )?", "", message.strip())
    message = re.sub(r"^(--out \S+|--binary \S+|--binary '[^']*'): ", "", message)
    message = re.sub(r"\b(linux|darwin|windows)_(amd64|arm64)\b", "P", message)
    message = numbers_as_n(message)
    words = []
    for word in re.match(r"[^'(;:,]*", message).group(0).split():
        if "/" in word or "=" in word:
            break
        words.append(word)
    return " ".join(words[:4])


def assert_refused(proc, code: int, phrase: str, before: dict, after: dict, keys) -> None:
    output = proc.stdout + proc.stderr
    words = documented_as(proc.stderr)
    assert len(words) >= 5 and words in TROUBLESHOOTING, f"{words!r} is not in troubleshooting.md's release section"
    assert proc.returncode == code, output
    assert "Traceback" not in output, output
    assert re.search(phrase, proc.stderr), f"{phrase!r} not in {proc.stderr!r}"
    assert len(proc.stderr.strip().splitlines()) == 1, f"one line on stderr: {proc.stderr!r}"
    assert after == before, "the working folder changed: " + repr(sorted(set(after) ^ set(before)))
    for secret in secrets(keys):
        assert secret not in output, "a secret was printed"


@dataclass
class Case:
    id: str
    args: list
    code: int
    phrase: str
    env: dict = field(default_factory=dict)
    out: str = "earlier"
    no_dac: bool = False  # run without root's permission to read any file


GOOD = "--binary=linux_amd64={bin}/elf_amd64"
CASES = [
    # usage: --out, --binary, unknown options
    Case("no_arguments", [], 2, r"--out DIR is required; usage: package_release\.py --out DIR --binary"),
    Case("no_out", [GOOD], 2, r"--out DIR is required"),
    Case("out_without_value", ["--out"], 2, r"argument --out: expected one argument"),
    Case("out_twice", ["--out", "dist", "--out", "other", GOOD], 2, r"--out is given more than once"),
    Case("out_empty", ["--out", "", GOOD], 2, r"--out must name the release folder, e.g\. --out dist"),
    Case("out_dot", ["--out", ".", GOOD], 2, r"--out must name the release folder"),
    Case("out_root", ["--out", "/", GOOD], 2, r"cannot be the root folder"),
    Case("out_is_a_file", ["--out", "dist", GOOD], 2, r"--out \S+/dist: is a file, not a folder", out="file"),
    Case("out_holds_other_files", ["--out", "dist", GOOD], 2,
         r"holds 1 entries that are not release files \(e\.g\. 'notes\.txt'\) and would be deleted; "
         r"give a new or empty folder", out="other_files"),
    Case("out_holds_a_folder", ["--out", "dist", GOOD], 2, r"not release files", out="subfolder"),
    Case("out_is_a_symlink", ["--out", "dist", GOOD], 2, r"is a symbolic link; give the folder itself", out="symlink"),
    Case("out_parent_missing", ["--out", "missing/dist", GOOD], 2, r"that would hold it does not exist; create it first"),
    Case("out_name_too_long", ["--out", "d" * 300, GOOD], 2, r"cannot be used \(File name too long\); give e\.g\. --out dist"),
    Case("out_not_writable", ["--out", "dist", GOOD], 1, r"writing the release beside --out \S+ failed: "
         r"Permission denied; nothing was changed", out="read_only", no_dac=True),
    Case("binary_missing", ["--out", "dist"], 2, r"give at least one --binary OS_ARCH=PATH"),
    Case("binary_without_value", ["--out", "dist", "--binary"], 2, r"argument --binary: expected one argument"),
    Case("binary_without_equals", ["--out", "dist", "--binary", "{bin}/elf_amd64"], 2,
         r"takes OS_ARCH=PATH, e\.g\. linux_amd64=target/"),
    Case("binary_empty_platform", ["--out", "dist", "--binary", "={bin}/elf_amd64"], 2,
         r"unknown platform ''; use one of darwin_amd64, darwin_arm64, linux_amd64, linux_arm64, windows_amd64"),
    Case("binary_unknown_platform", ["--out", "dist", "--binary", "linux_386={bin}/elf_i386"], 2,
         r"unknown platform 'linux_386'; use one of"),
    Case("binary_platform_case", ["--out", "dist", "--binary", "Linux_AMD64={bin}/elf_amd64"], 2,
         r"unknown platform 'Linux_AMD64'"),
    Case("binary_platform_unicode", ["--out", "dist", "--binary", "linux_amd64\u200b={bin}/elf_amd64"], 2,
         r"unknown platform"),
    Case("binary_empty_path", ["--out", "dist", "--binary", "linux_amd64="], 2, r"no path after '='"),
    Case("binary_twice", ["--out", "dist", GOOD, GOOD], 2, r"--binary linux_amd64 is given twice; give each platform once"),
    Case("unknown_option", ["--out", "dist", GOOD, "--sign-with", "x"], 2, r"unrecognized arguments: --sign-with x"),
    Case("abbreviated_option", ["--ou", "dist", GOOD], 2, r"unrecognized arguments|--out DIR is required"),
    Case("positional_argument", ["--out", "dist", GOOD, "extra"], 2, r"unrecognized arguments: extra"),
    # --binary files: each names the argument, what the file is and what was expected
    Case("file_missing", ["--out", "dist", "--binary", "linux_amd64={bin}/nowhere"], 2,
         r"--binary linux_amd64=\S+/nowhere: does not exist$"),
    Case("file_missing_absent_out", ["--out", "dist", "--binary", "linux_amd64={bin}/nowhere"], 2, r"does not exist",
         out="absent"),
    Case("file_name_with_line_break", ["--out", "dist", "--binary", "linux_amd64={bin}/no\nwhere"], 2,
         r"--binary linux_amd64=\S+/no\?where: does not exist"),
    Case("file_name_too_long", ["--out", "dist", "--binary", "linux_amd64={bin}/" + "b" * 300], 2,
         r"cannot be read \(File name too long\)"),
    Case("file_dangling_link", ["--out", "dist", "--binary", "linux_amd64={bin}/link_to_missing"], 2, r"does not exist"),
    Case("file_under_a_file", ["--out", "dist", "--binary", "linux_amd64={bin}/script/x"], 2,
         r"does not exist \(a part of the path is a file"),
    Case("file_is_a_folder", ["--out", "dist", "--binary", "linux_amd64={bin}/folder"], 2,
         r"is a folder; give the binary in it"),
    Case("file_is_a_fifo", ["--out", "dist", "--binary", "linux_amd64={bin}/fifo"], 2, r"is not a regular file"),
    Case("file_unreadable", ["--out", "dist", "--binary", "linux_amd64={bin}/unreadable"], 2,
         r"cannot be read \(Permission denied\)", no_dac=True),
    Case("file_empty", ["--out", "dist", "--binary", "linux_amd64={bin}/empty"], 2,
         r"is empty \(0 bytes\); expected a 64-bit ELF executable for x86-64 \(linux_amd64\)"),
    Case("file_shell_script", ["--out", "dist", "--binary", "linux_amd64={bin}/script"], 2,
         r"is a script \(#!/bin/sh\), not a compiled binary; expected a 64-bit ELF executable for x86-64"),
    Case("file_text", ["--out", "dist", "--binary", "linux_amd64={bin}/text"], 2, r"is a text file"),
    Case("file_zip", ["--out", "dist", "--binary", "linux_amd64={bin}/zip"], 2, r"is a zip archive; give the binary itself"),
    Case("file_arm64_as_amd64", ["--out", "dist", "--binary", "linux_amd64={bin}/elf_arm64"], 2,
         r"is a 64-bit ELF executable for arm64; expected a 64-bit ELF executable for x86-64 \(linux_amd64\)"),
    Case("file_amd64_as_arm64", ["--out", "dist", "--binary", "linux_arm64={bin}/elf_amd64"], 2,
         r"expected a 64-bit ELF executable for arm64 \(aarch64\) \(linux_arm64\)"),
    Case("file_32bit", ["--out", "dist", "--binary", "linux_amd64={bin}/elf_i386"], 2, r"is a 32-bit ELF"),
    Case("file_object", ["--out", "dist", "--binary", "linux_amd64={bin}/elf_object"], 2, r"ELF relocatable object"),
    Case("file_freebsd", ["--out", "dist", "--binary", "linux_amd64={bin}/elf_freebsd"], 2, r"for FreeBSD"),
    Case("file_truncated_elf", ["--out", "dist", "--binary", "linux_amd64={bin}/elf_truncated"], 2, r"truncated ELF"),
    Case("file_elf_as_darwin", ["--out", "dist", "--binary", "darwin_arm64={bin}/elf_arm64"], 2,
         r"expected a 64-bit Mach-O executable for arm64 \(darwin_arm64\)"),
    Case("file_macho_wrong_cpu", ["--out", "dist", "--binary", "darwin_amd64={bin}/macho_arm64"], 2,
         r"is a 64-bit Mach-O executable for arm64; expected a 64-bit Mach-O executable for x86-64"),
    Case("file_macho_fat", ["--out", "dist", "--binary", "darwin_arm64={bin}/fat_both"], 2,
         r"universal \(fat\) Mach-O binary holding x86-64, arm64; .*lipo -thin"),
    Case("file_macho_dylib", ["--out", "dist", "--binary", "darwin_arm64={bin}/macho_dylib"], 2, r"Mach-O dynamic library"),
    Case("file_macho_as_linux", ["--out", "dist", "--binary", "linux_arm64={bin}/macho_arm64"], 2, r"is a 64-bit Mach-O"),
    Case("file_elf_as_windows", ["--out", "dist", "--binary", "windows_amd64={bin}/elf_amd64"], 2,
         r"expected a PE32\+ \(64-bit\) Windows executable for x86-64 \(windows_amd64\)"),
    Case("file_pe_arm64", ["--out", "dist", "--binary", "windows_amd64={bin}/pe_arm64"], 2, r"Windows executable for arm64"),
    Case("file_pe_dll", ["--out", "dist", "--binary", "windows_amd64={bin}/pe_dll"], 2, r"Windows DLL"),
    Case("file_dos_only", ["--out", "dist", "--binary", "windows_amd64={bin}/dos_only"], 2, r"without a PE header"),
    Case("one_bad_among_good", ["--out", "dist", GOOD, "--binary", "linux_arm64={bin}/script"], 2,
         r"--binary linux_arm64=\S+/script: is a script"),
    Case("bad_binary_absent_out", ["--out", "dist", "--binary", "linux_amd64={bin}/script"], 2, r"is a script", out="absent"),
    # METAL3_RELEASE_GPG_KEY and METAL3_RELEASE_GPG_PASSPHRASE
    Case("key_empty", ["--out", "dist", GOOD], 1, r"METAL3_RELEASE_GPG_KEY is set but empty .*unset it to sign with "
         r"a throwaway key", env={"METAL3_RELEASE_GPG_KEY": ""}),
    Case("key_blank", ["--out", "dist", GOOD], 1, r"is set but empty", env={"METAL3_RELEASE_GPG_KEY": " \n\t"}),
    Case("key_not_armoured", ["--out", "dist", GOOD], 1,
         r"METAL3_RELEASE_GPG_KEY is not an ASCII-armoured OpenPGP key.*gpg --armor --export-secret-keys",
         env={"METAL3_RELEASE_GPG_KEY": "0xDEADBEEF"}),
    Case("key_damaged", ["--out", "dist", GOOD], 1, r"METAL3_RELEASE_GPG_KEY could not be imported: gpg found it "
         r"damaged or truncated", env={"METAL3_RELEASE_GPG_KEY": "{key:damaged}"}),
    Case("key_truncated", ["--out", "dist", GOOD], 1, r"damaged or truncated|holds a public key only",
         env={"METAL3_RELEASE_GPG_KEY": "{key:truncated}"}),
    Case("key_public_only", ["--out", "dist", GOOD], 1, r"METAL3_RELEASE_GPG_KEY holds a public key only, which "
         r"cannot sign; set METAL3_RELEASE_GPG_KEY to the output of `gpg --armor --export-secret-keys <key id>`",
         env={"METAL3_RELEASE_GPG_KEY": "{key:public}"}),
    Case("key_two_secret_keys", ["--out", "dist", GOOD], 1, r"holds 2 secret keys; export only the one that signs",
         env={"METAL3_RELEASE_GPG_KEY": "{key:two}"}),
    Case("key_expired", ["--out", "dist", GOOD], 1, r"expired on 2020-01-02; extend it \(gpg --quick-set-expire",
         env={"METAL3_RELEASE_GPG_KEY": "{key:expired}"}),
    Case("key_revoked", ["--out", "dist", GOOD], 1, r"is revoked; use another key",
         env={"METAL3_RELEASE_GPG_KEY": "{key:revoked}"}),
    Case("key_signing_subkey_expired", ["--out", "dist", GOOD], 1, r"the signing subkey of the key in "
         r"METAL3_RELEASE_GPG_KEY expired on 2020-06-02; extend it", env={"METAL3_RELEASE_GPG_KEY": "{key:expired_subkey}"}),
    Case("key_cannot_sign", ["--out", "dist", GOOD], 1, r"has no signing key, only certify/encrypt ones; add one "
         r"\(gpg --quick-add-key", env={"METAL3_RELEASE_GPG_KEY": "{key:encrypt_only}"}),
    Case("key_signing_part_offline", ["--out", "dist", GOOD], 1, r"the secret part of the signing key in "
         r"METAL3_RELEASE_GPG_KEY \(\w+\) is not in the export", env={"METAL3_RELEASE_GPG_KEY": "{key:offline}"}),
    Case("key_needs_passphrase", ["--out", "dist", GOOD], 1, r"the key in METAL3_RELEASE_GPG_KEY is protected by a "
         r"passphrase: set METAL3_RELEASE_GPG_PASSPHRASE", env={"METAL3_RELEASE_GPG_KEY": "{key:protected}"}),
    Case("key_wrong_passphrase", ["--out", "dist", GOOD], 1, r"METAL3_RELEASE_GPG_PASSPHRASE is not the passphrase "
         r"of the key in METAL3_RELEASE_GPG_KEY", env={"METAL3_RELEASE_GPG_KEY": "{key:protected}",
                                                     "METAL3_RELEASE_GPG_PASSPHRASE": WRONG_PASSPHRASE}),
    Case("key_needs_passphrase_absent_out", ["--out", "dist", GOOD], 1, r"set METAL3_RELEASE_GPG_PASSPHRASE",
         env={"METAL3_RELEASE_GPG_KEY": "{key:protected}"}, out="absent"),
    Case("passphrase_without_key", ["--out", "dist", GOOD], 1, r"METAL3_RELEASE_GPG_PASSPHRASE is set but "
         r"METAL3_RELEASE_GPG_KEY is not", env={"METAL3_RELEASE_GPG_PASSPHRASE": PASSPHRASE}),
    Case("passphrase_line_break", ["--out", "dist", GOOD], 1, r"METAL3_RELEASE_GPG_PASSPHRASE holds a line break",
         env={"METAL3_RELEASE_GPG_KEY": "{key:protected}",
              "METAL3_RELEASE_GPG_PASSPHRASE": PASSPHRASE + "\n" + WRONG_PASSPHRASE}),
    Case("gpg_not_installed", ["--out", "dist", GOOD], 1, r"gpg is not installed; it signs the release: install GnuPG",
         env={"METAL3_RELEASE_GPG_KEY": "{key:plain}", "PATH": "/nonexistent"}),
    # --preflight: the same checks, nothing written
    Case("preflight_public_key", ["--preflight", "--out", "dist"], 1, r"holds a public key only",
         env={"METAL3_RELEASE_GPG_KEY": "{key:public}"}),
    Case("preflight_wrong_binary", ["--preflight", "--out", "dist", "--binary", "linux_amd64={bin}/elf_arm64"], 2,
         r"is a 64-bit ELF executable for arm64; expected"),
    Case("preflight_without_out", ["--preflight"], 2, r"--out DIR is required"),
    Case("preflight_out_is_a_file", ["--preflight", "--out", "dist"], 2, r"is a file, not a folder", out="file"),
]


def materialise(value: str, binaries: Path, keys) -> str:
    value = value.replace("{bin}", str(binaries))
    match = re.fullmatch(r"\{key:(\w+)\}", value)
    return keys[match.group(1)] if match else value


def run_package(args, env, cwd, no_dac=False):
    command = [sys.executable, str(SCRIPTS / "package_release.py"), *args]
    if no_dac and os.geteuid() == 0:
        # root reads files of any mode; without these capabilities it is refused like anyone else.
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_package_release_refuses(case, tmp_path, binaries, keys):
    work = tmp_path / "work"
    prepare(work, case.out)
    before = snapshot(work)
    args = [materialise(a, binaries, keys) for a in case.args]
    env = clean_env({k: materialise(v, binaries, keys) for k, v in case.env.items()})
    proc = run_package(args, env, work, case.no_dac)
    assert_refused(proc, case.code, case.phrase, before, snapshot(work), keys)
    assert (work / "dist").exists() == (case.out != "absent")


def test_unexpected_errors_are_one_line_unless_debugging(tmp_path, binaries, keys):
    """A broken checkout (no Cargo.toml beside the script): one line and exit 1; the traceback only
    with METAL3_RELEASE_DEBUG=1. Nothing written either way."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("package_release.py", "release_binary.py", "release_gpg.py"):
        shutil.copy(SCRIPTS / name, root / "scripts" / name)
    work = tmp_path / "work"
    prepare(work, "earlier")
    before = snapshot(work)
    command = [sys.executable, str(root / "scripts" / "package_release.py"), "--out", "dist",
               f"--binary=linux_amd64={binaries}/elf_amd64"]
    env = clean_env({"METAL3_RELEASE_GPG_KEY": keys["plain"]})
    proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=60)
    assert_refused(proc, 1, r"unexpected error: FileNotFoundError: .*Cargo\.toml.* \(set METAL3_RELEASE_DEBUG=1 "
                   r"for the traceback\); --out was left as it was", before, snapshot(work), keys)
    env["METAL3_RELEASE_DEBUG"] = "1"
    proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" in proc.stderr, proc.stderr
    assert snapshot(work) == before


def test_interrupted_release_leaves_dist_as_it_was(tmp_path, provider_bin, keys):
    """Ctrl-C while the zips are being written (the provider under test takes seconds to deflate):
    the half-made release beside dist/ is removed, dist/ is the earlier release, one line, 130."""
    work = tmp_path / "work"
    prepare(work, "earlier")
    before = snapshot(work)
    env = clean_env({"METAL3_RELEASE_GPG_KEY": keys["plain"]})
    proc = subprocess.Popen([sys.executable, str(SCRIPTS / "package_release.py"), "--out", "dist",
                             f"--binary=linux_amd64={provider_bin}"], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not list(work.glob(".dist.new-*/*.json")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the release was made before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stderr.strip() == "package_release: interrupted; --out was left as it was"
    assert snapshot(work) == before


def test_preflight_writes_nothing(tmp_path, binaries, keys):
    work = tmp_path / "work"
    prepare(work, "absent")
    env = clean_env({"METAL3_RELEASE_GPG_KEY": keys["protected"], "METAL3_RELEASE_GPG_PASSPHRASE": PASSPHRASE})
    proc = run_package(["--preflight", "--out", "dist", f"--binary=darwin_arm64={binaries}/macho_arm64"], env, work)
    assert proc.returncode == 0, proc.stderr
    assert f"key {keys['fingerprints']['protected'][-16:]} signs" in proc.stdout
    assert snapshot(work) == {}
    assert not any(s in proc.stdout + proc.stderr for s in secrets(keys))


# --- the good path ----------------------------------------------------------------------------

def gpg_verify(public_key: Path, signature: Path, data: Path, home: Path) -> str:
    """The fingerprint of the (primary) key that made `signature`, checked by gpg against `public_key` only."""
    home.mkdir(mode=0o700)
    base = ["gpg", "--batch", "--homedir", str(home)]
    try:
        subprocess.run([*base, "--import", str(public_key)], check=True, capture_output=True)
        proc = subprocess.run([*base, "--status-fd", "1", "--verify", str(signature), str(data)],
                              capture_output=True, text=True)
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    # VALIDSIG <signing key> ... <primary key>: the primary names the key, whichever signed.
    return re.search(r"^\[GNUPG:\] VALIDSIG .* (\w+)$", proc.stdout, re.M).group(1)


def check_release(dist: Path, platforms: dict, fingerprint: str, home: Path) -> None:
    """`dist` is exactly the release of `platforms` ({platform: binary}), sums and signature true."""
    names = {f"{PREFIX}_{p}.zip" for p in platforms} | {
        f"{PREFIX}_manifest.json", f"{PREFIX}_SHA256SUMS", f"{PREFIX}_SHA256SUMS.sig",
        f"{PREFIX}_signing-key.asc", "terraform-registry-manifest.json"}
    assert {p.name for p in dist.iterdir()} == names
    assert stat.S_IMODE(dist.stat().st_mode) == 0o755
    for platform, binary in platforms.items():
        with zipfile.ZipFile(dist / f"{PREFIX}_{platform}.zip") as z:
            (entry,) = z.infolist()
            exe = ".exe" if platform.startswith("windows") else ""
            assert entry.filename == f"terraform-provider-metal3_v{PROVIDER_VERSION}{exe}"
            assert entry.external_attr >> 16 == 0o100755
            assert entry.date_time == (1980, 1, 1, 0, 0, 0)
            assert hashlib.sha256(z.read(entry)).digest() == hashlib.sha256(binary.read_bytes()).digest()
    sums = dist / f"{PREFIX}_SHA256SUMS"
    listed = dict(reversed(line.split("  ")) for line in sums.read_text().splitlines())
    assert set(listed) == {f"{PREFIX}_{p}.zip" for p in platforms} | {f"{PREFIX}_manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name
    signer = gpg_verify(dist / f"{PREFIX}_signing-key.asc", dist / f"{PREFIX}_SHA256SUMS.sig", sums, home)
    assert signer == fingerprint


def test_good_release_replaces_the_earlier_one_reproducibly(tmp_path, provider_bin, keys):
    """The provider under test, signed with a passphrase-protected key, over an earlier release:
    dist/ becomes exactly the new release; packaging again gives the same zips and sums."""
    work = tmp_path / "work"
    prepare(work, "earlier")
    env = clean_env({"METAL3_RELEASE_GPG_KEY": keys["protected"], "METAL3_RELEASE_GPG_PASSPHRASE": PASSPHRASE})
    args = ["--out", "dist", f"--binary=linux_amd64={provider_bin}"]
    first = run_package(args, env, work)
    assert first.returncode == 0, first.stderr
    assert first.stderr == "", "no warning with a real key"
    assert f"SHA256SUMS signed by key {keys['fingerprints']['protected'][-16:]}" in first.stdout
    assert not any(s in first.stdout for s in secrets(keys))
    dist = work / "dist"
    check_release(dist, {"linux_amd64": provider_bin}, keys["fingerprints"]["protected"], tmp_path / "v1")
    assert [p.name for p in work.iterdir()] == ["dist"], "nothing left beside dist/"
    made = {p.name: p.read_bytes() for p in dist.iterdir()}

    second = run_package(args, env, work)
    assert second.returncode == 0, second.stderr
    check_release(dist, {"linux_amd64": provider_bin}, keys["fingerprints"]["protected"], tmp_path / "v2")
    again = {p.name: p.read_bytes() for p in dist.iterdir()}
    for name in made:
        if not name.endswith(".sig"):  # a signature holds its time
            assert again[name] == made[name], f"{name} differs between two runs"


def test_darwin_and_windows_binaries_are_packaged(tmp_path, binaries, keys):
    """Thin Mach-O executables for both darwin platforms and a PE32+ executable for windows pass
    the checks and are packaged (.exe inside the windows zip); signed by a key exported as its
    signing subkey only, as release keys kept offline are."""
    work = tmp_path / "work"
    prepare(work, "absent")
    platforms = {"darwin_amd64": binaries / "macho_amd64", "darwin_arm64": binaries / "macho_arm64",
                 "windows_amd64": binaries / "pe_amd64", "linux_arm64": binaries / "elf_arm64"}
    env = clean_env({"METAL3_RELEASE_GPG_KEY": keys["signing_subkey"]})
    proc = run_package(["--out", "dist", *[f"--binary={p}={b}" for p, b in platforms.items()]], env, work)
    assert proc.returncode == 0, proc.stderr
    check_release(work / "dist", platforms, keys["fingerprints"]["signing_subkey"], tmp_path / "verify")


# --- release.sh: its own inputs, checked before anything is built ----------------------------------

@pytest.fixture
def checkout(tmp_path):
    """A copy of what release.sh reads, with a bootstrap.sh that only records it ran: a case that
    got past the checks stops there instead of building."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("release.sh", "package_release.py", "release_binary.py", "release_gpg.py"):
        shutil.copy2(SCRIPTS / name, root / "scripts" / name)
    for name in ("Cargo.toml", "terraform-registry-manifest.json"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    bootstrap = root / "scripts" / "bootstrap.sh"
    bootstrap.write_text("#!/bin/sh\necho bootstrap reached\ntouch \"$(dirname \"$0\")/../BUILD_STARTED\"\nexit 1\n")
    bootstrap.chmod(0o755)
    return root


RELEASE_SH_CASES = [
    Case("argument", ["--help"], 2, r"release: error: takes no arguments \(got '--help'\); settings come from the "
         r"environment: METAL3_RELEASE_GPG_KEY"),
    # macOS is built every time now; a leftover RELEASE_DARWIN=0 must not silently build it anyway.
    Case("darwin_zero", [], 2, r"RELEASE_DARWIN is no longer read: every release builds macOS; unset it",
         env={"RELEASE_DARWIN": "0"}),
    Case("darwin_one", [], 2, r"RELEASE_DARWIN is no longer read", env={"RELEASE_DARWIN": "1"}),
    Case("target_dir_is_a_file", [], 2, r"CARGO_TARGET_DIR \(\S+\) is a file, not a folder; unset it or name a folder",
         env={"CARGO_TARGET_DIR": "{root}/Cargo.toml"}),
    Case("key_public_only", [], 1, r"holds a public key only", env={"METAL3_RELEASE_GPG_KEY": "{key:public}"}),
    Case("key_needs_passphrase", [], 1, r"set METAL3_RELEASE_GPG_PASSPHRASE",
         env={"METAL3_RELEASE_GPG_KEY": "{key:protected}"}),
    Case("dist_holds_other_files", [], 2, r"--out \S+/dist: holds 1 entries that are not release files",
         out="other_files"),
    Case("dist_is_a_file", [], 2, r"is a file, not a folder", out="file"),
]


@pytest.mark.parametrize("case", RELEASE_SH_CASES, ids=[c.id for c in RELEASE_SH_CASES])
def test_release_sh_refuses_before_building(case, checkout, tmp_path, keys):
    prepare(tmp_path / "parked", case.out)
    if (tmp_path / "parked" / "dist").exists() or (tmp_path / "parked" / "dist").is_symlink():
        shutil.move(tmp_path / "parked" / "dist", checkout / "dist")
    before = snapshot(checkout)
    env = clean_env({k: materialise(v.replace("{root}", str(checkout)), tmp_path, keys) for k, v in case.env.items()})
    proc = subprocess.run(["bash", str(checkout / "scripts" / "release.sh"), *case.args], env=env,
                          capture_output=True, text=True, timeout=120)
    assert "bootstrap reached" not in proc.stdout, "the checks let it through to the build"
    assert_refused(proc, case.code, case.phrase, before, snapshot(checkout), keys)


def test_release_sh_normal_settings_reach_the_build(checkout, keys):
    """Good settings and key pass the checks and go on to bootstrap (the stand-in stops there)."""
    env = clean_env({"METAL3_RELEASE_GPG_KEY": keys["plain"]})
    proc = subprocess.run(["bash", str(checkout / "scripts" / "release.sh")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert "package_release: preflight passed" in proc.stdout, proc.stdout + proc.stderr
    assert "bootstrap reached" in proc.stdout, proc.stdout + proc.stderr
    assert (checkout / "BUILD_STARTED").exists()
    assert not (checkout / "dist").exists()
