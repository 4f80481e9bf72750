"""The checks `make release` runs on every built binary before packaging it
(scripts/check_release_binaries.py, scripts/release_inspect.py): what it loads at run time, and
for Mach-O its code signature. The release's cross-builds are too slow for `make test`, so these
run on Mach-O, ELF and PE files built here byte by byte as the formats define them, on a real
zig-linked arm64 Mach-O (release_fixtures/, 872 bytes gzipped) and on the debug provider binary.
"""

import gzip
import hashlib
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from m3stack.testkit import PROJECT_ROOT

SCRIPTS = PROJECT_ROOT / "scripts"
sys.path.insert(0, str(SCRIPTS))
import release_inspect  # noqa: E402
from release_inspect import inspect  # noqa: E402

FIXTURES = Path(__file__).parent / "release_fixtures"
ARM64, X86_64 = 0x0100000C, 0x01000007
LIBSYSTEM = "/usr/lib/libSystem.B.dylib"
SECURITY = "/System/Library/Frameworks/Security.framework/Versions/A/Security"


# --- Mach-O, as mach-o/loader.h and the code signing blobs define them ------------------------

def _padded(data: bytes, align: int = 8) -> bytes:
    return data + bytes(-len(data) % align)


def dylib_command(path: str, cmd: int = 0xC) -> bytes:
    name = _padded(path.encode() + b"\0")
    return struct.pack("<IIIIII", cmd, 24 + len(name), 24, 2, 0x10000, 0x10000) + name


def dylinker_command() -> bytes:
    name = _padded(b"/usr/lib/dyld\0")
    return struct.pack("<III", 0xE, 12 + len(name), 12) + name


def build_version(minos: int = 0x0B0000) -> bytes:
    return struct.pack("<IIIIII", 0x32, 24, 1, minos, 0x0F0000, 0)


def code_directory(code: bytes, page_log2: int = 12, identifier: bytes = b"terraform-provider-metal3",
                   flags: int = 0x20002, special: list[bytes] = ()) -> bytes:
    """A CodeDirectory (version 0x20400) hashing `code` page by page with SHA-256."""
    page = 1 << page_log2
    hashes = [hashlib.sha256(code[i:i + page]).digest() for i in range(0, len(code), page)]
    header_size = 88
    ident = identifier + b"\0"
    hash_offset = header_size + len(ident) + 32 * len(special)
    length = hash_offset + 32 * len(hashes)
    header = struct.pack(">IIIIIIIIIBBBBIIIIQQQQ", 0xFADE0C02, length, 0x20400, flags, hash_offset,
                         header_size, len(special), len(hashes), len(code), 32, 2, 0, page_log2,
                         0, 0, 0, 0, 0, 0, 0, 0)
    assert len(header) == header_size
    return header + ident + b"".join(reversed(special)) + b"".join(hashes)


def super_blob(blobs: list[tuple[int, bytes]]) -> bytes:
    index_size = 12 + 8 * len(blobs)
    offsets, at = [], index_size
    for _, blob in blobs:
        offsets.append(at)
        at += len(blob)
    head = struct.pack(">III", 0xFADE0CC0, at, len(blobs))
    return head + b"".join(struct.pack(">II", kind, off) for (kind, _), off in zip(blobs, offsets)) \
        + b"".join(blob for _, blob in blobs)


def macho(cputype: int = ARM64, dylibs=(LIBSYSTEM,), signed: bool = True, page_log2: int = 12,
          code_size: int = 9000, requirements: bytes | None = None) -> bytes:
    """A thin 64-bit executable: header, load commands, some code, and (when `signed`) an ad hoc
    signature over everything before it, as a linker writes it."""
    commands = [dylinker_command(), build_version(), *[dylib_command(d) for d in dylibs]]
    if signed:
        commands.append(b"")  # LC_CODE_SIGNATURE, filled in below once its offset is known
    sizeofcmds = sum(len(c) for c in commands) + (16 if signed else 0)
    header = struct.pack("<IiiIIIII", 0xFEEDFACF, cputype, 0, 2, len(commands), sizeofcmds, 0x200085, 0)
    code = bytes((i * 7) & 0xFF for i in range(code_size))
    body_len = len(header) + sizeofcmds + len(code)
    dataoff = body_len + (-body_len % 16)
    if not signed:
        return header + b"".join(commands) + code
    blobs = [(0, b"")]
    special = []
    if requirements is not None:
        special = [bytes(32), hashlib.sha256(requirements).digest()]  # slot -1 info, -2 requirements
    signature_len_guess = 0
    for _ in range(2):  # the signature's size does not depend on its own content
        commands[-1] = struct.pack("<IIII", 0x1D, 16, dataoff, signature_len_guess)
        unsigned = (header + b"".join(commands) + code).ljust(dataoff, b"\0")
        blobs = [(0, code_directory(unsigned, page_log2, special=special))]
        if requirements is not None:
            blobs.append((2, requirements))
        blobs.append((0x10000, struct.pack(">II", 0xFADE0B01, 8)))
        signature = super_blob(blobs)
        signature_len_guess = len(signature)
    return unsigned + signature


def zig_arm64() -> bytes:
    return gzip.decompress((FIXTURES / "zig-macos-arm64.gz").read_bytes())


def test_a_signed_macho_loading_libsystem_only_fits_darwin_arm64():
    report = inspect("darwin_arm64", macho())
    assert report.problems == []
    assert f"LC_LOAD_DYLIB {LIBSYSTEM}" in report.facts
    assert "LC_LOAD_DYLINKER /usr/lib/dyld" in report.facts
    assert "minimum macOS 11.0.0" in report.facts
    assert report.facts[0] == ("load commands: LC_LOAD_DYLINKER, LC_BUILD_VERSION, LC_LOAD_DYLIB, "
                               "LC_CODE_SIGNATURE")
    signature = [f for f in report.facts if f.startswith("LC_CODE_SIGNATURE")]
    assert signature == ["LC_CODE_SIGNATURE valid (ad hoc, linker-signed; identifier "
                         "terraform-provider-metal3; 3 pages of 4096 bytes, SHA-256)"], report.facts


def test_the_zig_linked_fixture_carries_a_valid_ad_hoc_signature():
    """What zig's linker really writes: 16 KiB pages, linker-signed."""
    data = zig_arm64()
    report = inspect("darwin_arm64", data)
    assert report.problems == []
    assert [f for f in report.facts if f.startswith("LC_")] == [
        f"LC_LOAD_DYLIB {LIBSYSTEM}", "LC_LOAD_DYLINKER /usr/lib/dyld",
        "LC_CODE_SIGNATURE valid (ad hoc, linker-signed; identifier return0-arm64; 4 pages of "
        "16384 bytes, SHA-256)"], report.facts


def test_a_byte_changed_after_signing_breaks_the_signature():
    for data in (bytearray(macho()), bytearray(zig_arm64())):
        data[40] ^= 0x01  # inside the load commands, covered by page 0
        problems = inspect("darwin_arm64", bytes(data)).problems
        assert len(problems) == 1 and "page 0 (bytes 0..) does not match its hash" in problems[0], problems
    data = bytearray(macho())
    data[5000] ^= 0xFF  # page 1 of the code
    assert "page 1 (bytes 4096..) does not match" in inspect("darwin_arm64", bytes(data)).problems[0]


def test_special_slots_must_match_their_blobs():
    requirements = struct.pack(">III", 0xFADE0C01, 12, 0)
    assert inspect("darwin_arm64", macho(requirements=requirements)).problems == []
    data = bytearray(macho(requirements=requirements))
    data[-20] ^= 0x01  # inside the requirements blob, before the 8-byte CMS blob
    assert any("special slot -2 does not match" in p for p in inspect("darwin_arm64", bytes(data)).problems)


def test_unsigned_arm64_is_refused_but_unsigned_amd64_is_not():
    arm = inspect("darwin_arm64", macho(signed=False))
    assert len(arm.problems) == 1 and "has no code signature" in arm.problems[0]
    assert "macOS kills unsigned arm64 code" in arm.problems[0]
    amd = inspect("darwin_amd64", macho(X86_64, signed=False))
    assert amd.problems == [] and "no code signature" in amd.facts


def test_a_framework_or_a_missing_libsystem_is_refused():
    report = inspect("darwin_arm64", macho(dylibs=(LIBSYSTEM, SECURITY)))
    assert report.problems == [f"loads {SECURITY}; a release binary may load only {LIBSYSTEM}"]
    report = inspect("darwin_amd64", macho(X86_64, dylibs=(), signed=False))
    assert report.problems == [f"does not load {LIBSYSTEM}, which every macOS program needs"]


def test_a_signature_covering_less_than_the_code_is_refused():
    data = bytearray(macho())
    # LC_CODE_SIGNATURE's dataoff moved 16 bytes on: the CodeDirectory's codeLimit no longer matches.
    at = data.find(struct.pack("<II", 0x1D, 16))
    dataoff, size = struct.unpack_from("<II", data, at + 8)
    struct.pack_into("<II", data, at + 8, dataoff + 16, size - 16)
    problems = inspect("darwin_arm64", bytes(data)).problems
    assert len(problems) == 1 and "code signature is invalid" in problems[0], problems


@pytest.mark.parametrize("cut, phrase", [
    (20, "is malformed: a structure at byte 0 runs past the end"),
    (60, "is malformed: the load commands run past the end of the file"),
    (400, "its code signature is invalid: LC_CODE_SIGNATURE points past the end of the file"),
])
def test_truncated_machos_are_refused_not_crashes(cut, phrase):
    problems = inspect("darwin_arm64", macho()[:cut]).problems
    assert len(problems) == 1 and problems[0].startswith(phrase), problems


# --- ELF ---------------------------------------------------------------------------------------

def elf(interpreter: bytes | None = None, needed: tuple = ()) -> bytes:
    """A 64-bit ELF executable with a PT_LOAD over the whole file, and optionally PT_INTERP and
    a PT_DYNAMIC holding DT_NEEDED entries and DT_STRTAB."""
    strtab = b"\0" + b"".join(n.encode() + b"\0" for n in needed)
    phnum = 1 + (interpreter is not None) + 1
    phoff, ph_size = 64, 56
    data_at = phoff + phnum * ph_size
    interp_at = data_at
    strtab_at = interp_at + len(interpreter or b"")
    dynamic_at = strtab_at + len(strtab)
    dynamic_at += -dynamic_at % 8
    offsets, at = [], 1
    for n in needed:
        offsets.append(at)
        at += len(n) + 1
    vaddr = 0x400000
    dynamic = b"".join(struct.pack("<qQ", 1, off) for off in offsets) + \
        struct.pack("<qQ", 5, vaddr + strtab_at) + struct.pack("<qQ", 0, 0)
    total = dynamic_at + len(dynamic)
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) + struct.pack(
        "<HHIQQQIHHHHHH", 2, 62, 1, vaddr, phoff, 0, 0, 64, ph_size, phnum, 64, 0, 0)
    phdrs = struct.pack("<IIQQQQQQ", 1, 5, 0, vaddr, vaddr, total, total, 0x1000)
    if interpreter is not None:
        phdrs += struct.pack("<IIQQQQQQ", 3, 4, interp_at, vaddr + interp_at, 0, len(interpreter),
                             len(interpreter), 1)
    phdrs += struct.pack("<IIQQQQQQ", 2, 6, dynamic_at, vaddr + dynamic_at, 0, len(dynamic), len(dynamic), 8)
    body = header + phdrs + (interpreter or b"") + strtab
    return body.ljust(dynamic_at, b"\0") + dynamic


def test_a_static_elf_fits_linux():
    report = inspect("linux_amd64", elf())
    assert report.problems == [] and report.facts == ["no interpreter (static)"]


def test_a_dynamic_elf_is_refused_naming_what_it_loads():
    report = inspect("linux_arm64", elf(b"/lib/ld-linux-aarch64.so.1\0", ("libc.so.6", "libm.so.6")))
    assert report.facts == ["interpreter /lib/ld-linux-aarch64.so.1", "DT_NEEDED libc.so.6", "DT_NEEDED libm.so.6"]
    assert len(report.problems) == 1 and "must be static (musl)" in report.problems[0]


def test_the_debug_provider_binary_is_read_as_the_dynamic_glibc_build_it_is(provider_bin):
    """A real linker's output: the debug build links glibc dynamically, which a release must not."""
    report = inspect("linux_amd64", provider_bin.read_bytes())
    assert any(f.startswith("interpreter /lib") for f in report.facts), report.facts
    assert "DT_NEEDED libc.so.6" in report.facts
    assert any("must be static" in p for p in report.problems)


# --- PE ----------------------------------------------------------------------------------------

def pe(dlls: tuple) -> bytes:
    """A PE32+ executable with one section holding its import directory and DLL names."""
    section_rva, section_raw = 0x1000, 0x200
    names, at = b"", 20 * (len(dlls) + 1)
    name_rvas = []
    for dll in dlls:
        name_rvas.append(section_rva + at + len(names))
        names += dll.encode() + b"\0"
    imports = b"".join(struct.pack("<IIIII", 0, 0, 0, rva, section_rva) for rva in name_rvas) + bytes(20)
    section = imports + names
    pe_at, optional_size = 0x40, 240
    coff = b"PE\0\0" + struct.pack("<HHIIIHH", 0x8664, 1, 0, 0, 0, optional_size, 0x22)
    optional = bytearray(optional_size)
    struct.pack_into("<H", optional, 0, 0x20B)
    struct.pack_into("<II", optional, 112 + 8, section_rva, len(imports))
    header = bytearray(b"MZ".ljust(0x3C, b"\0") + struct.pack("<I", pe_at)).ljust(pe_at, b"\0")
    sections = b".idata\0\0" + struct.pack("<IIIIIIHHI", len(section), section_rva, len(section),
                                           section_raw, 0, 0, 0, 0, 0x40000040)
    return bytes(header + coff + optional + sections).ljust(section_raw, b"\0") + section


def test_system_dlls_fit_windows_and_a_mingw_runtime_dll_does_not():
    good = inspect("windows_amd64", pe(("KERNEL32.dll", "ws2_32.dll", "api-ms-win-core-synch-l1-2-0.dll")))
    assert good.problems == []
    assert good.facts == ["imports KERNEL32.dll", "imports ws2_32.dll", "imports api-ms-win-core-synch-l1-2-0.dll"]
    bad = inspect("windows_amd64", pe(("kernel32.dll", "libgcc_s_seh-1.dll")))
    assert bad.problems == ["imports libgcc_s_seh-1.dll, which Windows does not ship; link it statically"]


# --- the command make release runs -------------------------------------------------------------

def run_check(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / "check_release_binaries.py"), *args],
                          capture_output=True, text=True, timeout=60)


def test_check_release_binaries_passes_fitting_binaries_and_prints_what_it_found(tmp_path):
    (tmp_path / "arm64").write_bytes(zig_arm64())
    (tmp_path / "amd64").write_bytes(macho(X86_64, signed=False))
    (tmp_path / "linux").write_bytes(elf())
    proc = run_check(f"darwin_arm64={tmp_path}/arm64", f"darwin_amd64={tmp_path}/amd64", f"linux_amd64={tmp_path}/linux")
    assert proc.returncode == 0, proc.stderr
    assert f"darwin_arm64:   LC_LOAD_DYLIB {LIBSYSTEM}" in proc.stdout
    assert "darwin_arm64:   LC_CODE_SIGNATURE valid (ad hoc" in proc.stdout
    assert "linux_amd64:   no interpreter (static)" in proc.stdout


def test_check_release_binaries_fails_on_any_misfit(tmp_path):
    (tmp_path / "unsigned").write_bytes(macho(signed=False))
    (tmp_path / "linux").write_bytes(elf())
    proc = run_check(f"linux_amd64={tmp_path}/linux", f"darwin_arm64={tmp_path}/unsigned")
    assert proc.returncode == 1
    assert "error: darwin_arm64" in proc.stderr and "has no code signature" in proc.stderr
    proc = run_check(f"darwin_amd64={tmp_path}/linux")
    assert proc.returncode == 1 and "expected a 64-bit Mach-O executable for x86-64" in proc.stderr
    assert run_check().returncode == 2
    assert run_check("plan9_amd64=/bin/true").returncode == 2


def test_the_inspector_knows_every_platform_the_packager_does():
    import release_binary
    for platform in release_binary.EXPECTED:
        assert not any(p.startswith("unknown platform") for p in inspect(platform, b"").problems)
    assert release_inspect.MACHO_ALLOWED_DYLIBS == (LIBSYSTEM,)
