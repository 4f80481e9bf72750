"""What a release binary is, read from its header, and whether it fits a platform.

`identify(head)` names the format, CPU and kind of a file from its first bytes (ELF, Mach-O thin and
universal, PE, or the usual mistakes: scripts, archives, text); `problem(platform, head)` says why
it does not fit `platform`, or None; `check_file(platform, path)` does both for a file on disk.
Only headers are read: nothing here runs the binary.
"""

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

HEAD_BYTES = 64 * 1024

ELF_MACHINES = {3: "x86 (32-bit)", 8: "MIPS", 20: "PowerPC", 21: "PowerPC 64", 22: "s390",
                40: "ARM (32-bit)", 62: "x86-64", 183: "arm64", 243: "RISC-V"}
ELF_TYPES = {1: "relocatable object", 2: "executable", 3: "executable", 4: "core dump"}
ELF_OS = {0: "", 3: "", 6: " for Solaris", 9: " for FreeBSD", 12: " for OpenBSD", 2: " for NetBSD"}

CPU_ARCH_ABI64 = 0x01000000
MACHO_CPUS = {7: "x86 (32-bit)", 7 | CPU_ARCH_ABI64: "x86-64", 12: "ARM (32-bit)",
              12 | CPU_ARCH_ABI64: "arm64", 18: "PowerPC", 18 | CPU_ARCH_ABI64: "PowerPC 64"}
MACHO_TYPES = {1: "object file", 2: "executable", 6: "dynamic library", 8: "bundle"}
MH_MAGIC, MH_MAGIC_64 = 0xFEEDFACE, 0xFEEDFACF
FAT_MAGIC, FAT_MAGIC_64 = 0xCAFEBABE, 0xCAFEBABF
# Java class files share the universal magic; Apple's tools tell them apart by the count.
FAT_MAX_ARCHS = 30

PE_MACHINES = {0x14C: "x86 (32-bit)", 0x8664: "x86-64", 0xAA64: "arm64", 0x1C0: "ARM (32-bit)",
               0x1C4: "ARM (32-bit)"}
PE_EXECUTABLE_IMAGE, PE_DLL = 0x0002, 0x2000


@dataclass(frozen=True)
class Expected:
    format: str
    cpu: int
    words: str


EXPECTED = {
    "linux_amd64": Expected("elf", 62, "a 64-bit ELF executable for x86-64"),
    "linux_arm64": Expected("elf", 183, "a 64-bit ELF executable for arm64 (aarch64)"),
    "darwin_amd64": Expected("macho", 7 | CPU_ARCH_ABI64, "a 64-bit Mach-O executable for x86-64"),
    "darwin_arm64": Expected("macho", 12 | CPU_ARCH_ABI64, "a 64-bit Mach-O executable for arm64"),
    "windows_amd64": Expected("pe", 0x8664, "a PE32+ (64-bit) Windows executable for x86-64"),
}


@dataclass(frozen=True)
class Found:
    """What a header says. `fits` holds the (format, cpu) a platform may match, when the file is
    a 64-bit little-endian executable of a format this script packages; else None."""
    words: str
    fits: tuple | None = None


def _u16(data: bytes, at: int, order: str = "<") -> int | None:
    return struct.unpack_from(order + "H", data, at)[0] if len(data) >= at + 2 else None


def _u32(data: bytes, at: int, order: str = "<") -> int | None:
    return struct.unpack_from(order + "I", data, at)[0] if len(data) >= at + 4 else None


def _elf(head: bytes) -> Found:
    if len(head) < 64:
        return Found(f"a truncated ELF file ({len(head)} bytes)")
    bits = {1: 32, 2: 64}.get(head[4])
    order = {1: "<", 2: ">"}.get(head[5])
    if bits is None or order is None:
        return Found("a damaged ELF file (unknown class or byte order)")
    kind = ELF_TYPES.get(_u16(head, 16, order) or 0, "ELF file of unknown type")
    machine = _u16(head, 18, order) or 0
    cpu = ELF_MACHINES.get(machine, f"machine {machine}")
    system = ELF_OS.get(head[7], f" for OS/ABI {head[7]}")
    endian = "" if order == "<" else " big-endian"
    words = f"a {bits}-bit{endian} ELF {kind} for {cpu}{system}"
    usable = bits == 64 and order == "<" and head[16:18] in (b"\x02\x00", b"\x03\x00") and not system
    return Found(words, ("elf", machine) if usable else None)


def _macho(head: bytes, magic: int) -> Found:
    bits = 64 if magic == MH_MAGIC_64 else 32
    if len(head) < 16:
        return Found(f"a truncated Mach-O file ({len(head)} bytes)")
    cputype = _u32(head, 4) or 0
    filetype = _u32(head, 12) or 0
    cpu = MACHO_CPUS.get(cputype, f"CPU type {cputype:#x}")
    kind = MACHO_TYPES.get(filetype, f"Mach-O file of type {filetype}")
    words = f"a {bits}-bit Mach-O {kind} for {cpu}"
    return Found(words, ("macho", cputype) if bits == 64 and filetype == 2 else None)


def _fat(head: bytes, magic: int) -> Found:
    count = _u32(head, 4, ">") or 0
    if not 0 < count <= FAT_MAX_ARCHS:
        return Found("not an executable (a Java class file, or data starting like a universal binary)")
    entry = 32 if magic == FAT_MAGIC_64 else 20
    cpus = []
    for index in range(count):
        cputype = _u32(head, 8 + index * entry, ">")
        if cputype is None:
            return Found("a truncated universal (fat) Mach-O file")
        cpus.append(MACHO_CPUS.get(cputype, f"CPU type {cputype:#x}"))
    # Refused on purpose: each zip serves one platform, and a universal binary carries the other
    # platforms' code, unchecked. The message says how to thin it.
    return Found(f"a universal (fat) Mach-O binary holding {', '.join(cpus)}; release zips hold one "
                 "architecture each: thin it with `lipo -thin <arch> -output <file> <universal>`")


def _pe(head: bytes) -> Found:
    offset = _u32(head, 0x3C)
    if offset is None or head[offset:offset + 4] != b"PE\0\0":
        return Found("an MS-DOS executable without a PE header, or a truncated one")
    machine = _u16(head, offset + 4)
    characteristics = _u16(head, offset + 22)
    optional = _u16(head, offset + 24)
    if machine is None or characteristics is None or optional is None:
        return Found("a truncated PE file")
    bits = {0x10B: "PE32 (32-bit)", 0x20B: "PE32+ (64-bit)"}.get(optional, "PE (unknown optional header)")
    kind = ("DLL" if characteristics & PE_DLL else
            "executable" if characteristics & PE_EXECUTABLE_IMAGE else "object (not executable)")
    words = f"a {bits} Windows {kind} for {PE_MACHINES.get(machine, f'machine {machine:#x}')}"
    usable = optional == 0x20B and kind == "executable"
    return Found(words, ("pe", machine) if usable else None)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


def identify(head: bytes) -> Found:
    """What the first bytes of a file say it is."""
    if not head:
        return Found("empty (0 bytes)")
    if head.startswith(b"\x7fELF"):
        return _elf(head)
    magic = _u32(head, 0)
    if magic in (MH_MAGIC, MH_MAGIC_64):
        return _macho(head, magic)
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf"):
        return Found("a big-endian Mach-O file (PowerPC era), not an x86-64 or arm64 one")
    if _u32(head, 0, ">") in (FAT_MAGIC, FAT_MAGIC_64):
        return _fat(head, _u32(head, 0, ">"))
    if head.startswith(b"MZ"):
        return _pe(head)
    if head.startswith(b"#!"):
        line = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").strip()[:60]
        return Found(f"a script (#!{_printable(line)}), not a compiled binary")
    if head.startswith(b"PK\x03\x04"):
        return Found("a zip archive; give the binary itself, not a zip of it")
    if head.startswith(b"\x1f\x8b"):
        return Found("a gzip archive; give the binary itself")
    try:
        text = head.decode("utf-8")
        if all(c.isprintable() or c in "\t\r\n" for c in text):
            return Found("a text file, not a compiled binary")
    except UnicodeDecodeError:
        pass
    return Found(f"not an executable format (it starts with bytes {head[:4].hex(' ')})")


def problem(platform: str, head: bytes) -> str | None:
    """Why a file with this header cannot be `platform`'s binary, or None when it can."""
    expected = EXPECTED[platform]
    found = identify(head)
    if found.fits == (expected.format, expected.cpu):
        return None
    return f"is {found.words}; expected {expected.words} ({platform})"


def check_file(platform: str, path: Path) -> str | None:
    """Why the file at `path` cannot be `platform`'s binary, or None when it can."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "does not exist"
    except NotADirectoryError:
        return "does not exist (a part of the path is a file, not a folder)"
    except PermissionError:
        return "cannot be read (permission denied on the path)"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or type(exc).__name__})"
    if stat.S_ISDIR(info.st_mode):
        return (f"is a folder; give the binary in it, e.g. {platform}=target/<rust target>/release/"
                "terraform-provider-metal3")
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device, pipe or socket)"
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or type(exc).__name__})"
    return problem(platform, head)


def shown(path: str) -> str:
    """A path as it may be printed on one line."""
    return _printable(os.fsdecode(path))
