"""What a built release binary needs at run time, read from the file (never run): the libraries
it loads and, for Mach-O, its code signature, checked against what each platform allows.

- linux_*: static. No program interpreter (PT_INTERP) and no DT_NEEDED library, so it runs on
  any distribution, glibc or musl.
- darwin_*: loads `/usr/lib/libSystem.B.dylib` only (every Mac has it; a framework such as
  Security would tie the binary to an SDK the release cannot link against). darwin_arm64 also
  carries a code signature (LC_CODE_SIGNATURE) whose CodeDirectory hashes match the file's
  pages: the macOS kernel kills unsigned arm64 code, and an ad hoc signature (no certificate)
  is enough for it to start. darwin_amd64 needs none, but one present must be valid too.
- windows_amd64: imports system DLLs only (no MinGW runtime DLL beside the .exe).

`inspect(platform, data)` returns a Report: `facts` (what was found, one line each) and
`problems` (why the binary does not fit; empty when it does).
"""

import hashlib
import struct
from dataclasses import dataclass, field

# Mach-O load commands (mach-o/loader.h)
LC_REQ_DYLD = 0x80000000
LC_SEGMENT_64 = 0x19
LC_LOAD_DYLIB = 0xC
LC_LOAD_DYLINKER = 0xE
LC_CODE_SIGNATURE = 0x1D
LC_LAZY_LOAD_DYLIB = 0x20
LC_VERSION_MIN_MACOSX = 0x24
LC_BUILD_VERSION = 0x32
COMMAND_NAMES = {0x19: "LC_SEGMENT_64", 0x2: "LC_SYMTAB", 0xB: "LC_DYSYMTAB", 0xE: "LC_LOAD_DYLINKER",
                 0x1B: "LC_UUID", 0x32: "LC_BUILD_VERSION", 0x24: "LC_VERSION_MIN_MACOSX",
                 0x2A: "LC_SOURCE_VERSION", 0x28 | 0x80000000: "LC_MAIN", 0x26: "LC_FUNCTION_STARTS",
                 0x29: "LC_DATA_IN_CODE", 0x1D: "LC_CODE_SIGNATURE", 0x22 | 0x80000000: "LC_DYLD_INFO_ONLY",
                 0x33 | 0x80000000: "LC_DYLD_EXPORTS_TRIE", 0x34 | 0x80000000: "LC_DYLD_CHAINED_FIXUPS",
                 0x1C | 0x80000000: "LC_RPATH", 0xC: "LC_LOAD_DYLIB"}
DYLIB_COMMANDS = {LC_LOAD_DYLIB: "LC_LOAD_DYLIB", 0x18 | LC_REQ_DYLD: "LC_LOAD_WEAK_DYLIB",
                  0x1F | LC_REQ_DYLD: "LC_REEXPORT_DYLIB", LC_LAZY_LOAD_DYLIB: "LC_LAZY_LOAD_DYLIB",
                  0x23 | LC_REQ_DYLD: "LC_LOAD_UPWARD_DYLIB"}
MACHO_ALLOWED_DYLIBS = ("/usr/lib/libSystem.B.dylib",)

# Code signing blobs (Security framework's cs_blobs.h); big-endian, unlike the Mach-O header.
CSMAGIC_EMBEDDED_SIGNATURE = 0xFADE0CC0
CSMAGIC_CODEDIRECTORY = 0xFADE0C02
CSSLOT_CODEDIRECTORY = 0
CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000
CS_HASHTYPE_SHA256 = 2
CS_ADHOC = 0x2
CS_LINKER_SIGNED = 0x20000

# ELF program headers and dynamic tags
PT_DYNAMIC, PT_INTERP, PT_LOAD = 2, 3, 1
DT_NULL, DT_NEEDED, DT_STRTAB = 0, 1, 5

# Windows DLLs every Windows has (lower case); API sets are api-ms-win-*.
WINDOWS_SYSTEM_DLLS = {"kernel32.dll", "ntdll.dll", "advapi32.dll", "bcrypt.dll", "crypt32.dll",
                       "ws2_32.dll", "userenv.dll", "secur32.dll", "ncrypt.dll", "user32.dll",
                       "shell32.dll", "ole32.dll", "oleaut32.dll", "iphlpapi.dll", "msvcrt.dll",
                       "ucrtbase.dll", "synchronization.dll", "dbghelp.dll", "mswsock.dll",
                       "powrprof.dll", "rpcrt4.dll"}


class Malformed(Exception):
    """The file's structures point outside it or contradict themselves."""


@dataclass
class Report:
    facts: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def _unpack(fmt: str, data: bytes, at: int) -> tuple:
    if at < 0 or at + struct.calcsize(fmt) > len(data):
        raise Malformed(f"a structure at byte {at} runs past the end of the file ({len(data)} bytes)")
    return struct.unpack_from(fmt, data, at)


def _cstring(data: bytes, start: int, end: int) -> str:
    if not 0 <= start <= end <= len(data):
        raise Malformed(f"a name at byte {start} lies outside its structure")
    return data[start:end].split(b"\0", 1)[0].decode("utf-8", "replace")


# --- Mach-O -----------------------------------------------------------------------------------

@dataclass
class MachO:
    cputype: int
    commands: list        # every load command's name, in order
    dylibs: list          # (command name, path)
    dylinker: str | None
    min_macos: str | None
    signature: tuple | None  # (dataoff, datasize) of LC_CODE_SIGNATURE


def _version(packed: int) -> str:
    return f"{packed >> 16}.{(packed >> 8) & 0xFF}.{packed & 0xFF}"


def parse_macho(data: bytes) -> MachO:
    magic, cputype, _sub, _filetype, ncmds, sizeofcmds = _unpack("<IiiIII", data, 0)
    if magic != 0xFEEDFACF:
        raise Malformed("not a 64-bit little-endian Mach-O file")
    at, end = 32, 32 + sizeofcmds
    if end > len(data):
        raise Malformed("the load commands run past the end of the file")
    found = MachO(cputype, [], [], None, None, None)
    for _ in range(ncmds):
        cmd, size = _unpack("<II", data, at)
        if size < 8 or at + size > end:
            raise Malformed(f"load command {cmd:#x} at byte {at} has a bad size ({size})")
        found.commands.append(DYLIB_COMMANDS.get(cmd) or COMMAND_NAMES.get(cmd, f"{cmd:#x}"))
        if cmd in DYLIB_COMMANDS:
            (offset,) = _unpack("<I", data, at + 8)
            found.dylibs.append((DYLIB_COMMANDS[cmd], _cstring(data, at + offset, at + size)))
        elif cmd == LC_LOAD_DYLINKER:
            (offset,) = _unpack("<I", data, at + 8)
            found.dylinker = _cstring(data, at + offset, at + size)
        elif cmd == LC_CODE_SIGNATURE:
            found.signature = _unpack("<II", data, at + 8)
        elif cmd == LC_BUILD_VERSION:
            found.min_macos = _version(_unpack("<I", data, at + 12)[0])
        elif cmd == LC_VERSION_MIN_MACOSX:
            found.min_macos = _version(_unpack("<I", data, at + 8)[0])
        at += size
    return found


@dataclass
class CodeDirectory:
    identifier: str
    flags: int
    pages: int
    page_size: int


def check_code_signature(data: bytes, dataoff: int, datasize: int) -> CodeDirectory:
    """The embedded signature's CodeDirectory, once every page hash it lists matches the file and
    every special slot matches its blob; raises Malformed saying what does not."""
    if dataoff + datasize > len(data):
        raise Malformed("LC_CODE_SIGNATURE points past the end of the file")
    magic, length, count = _unpack(">III", data, dataoff)
    if magic != CSMAGIC_EMBEDDED_SIGNATURE:
        raise Malformed(f"the signature is not an embedded signature (magic {magic:#x})")
    if length > datasize:
        raise Malformed("the signature's SuperBlob is longer than LC_CODE_SIGNATURE says")
    blobs = {}
    for index in range(count):
        kind, offset = _unpack(">II", data, dataoff + 12 + index * 8)
        _blob_magic, blob_length = _unpack(">II", data, dataoff + offset)
        if offset + blob_length > length:
            raise Malformed(f"signature blob {kind:#x} runs past the signature")
        blobs[kind] = data[dataoff + offset:dataoff + offset + blob_length]
    directory = blobs.get(CSSLOT_CODEDIRECTORY)
    if directory is None:
        raise Malformed("the signature has no CodeDirectory")
    (cd_magic, cd_length, _version_, flags, hash_offset, ident_offset, n_special, n_code, code_limit,
     hash_size, hash_type, _platform, page_log2) = _unpack(">IIIIIIIIIBBBB", directory, 0)
    if cd_magic != CSMAGIC_CODEDIRECTORY:
        raise Malformed(f"the CodeDirectory has magic {cd_magic:#x}")
    if hash_type != CS_HASHTYPE_SHA256 or hash_size != 32:
        raise Malformed(f"the CodeDirectory hashes with type {hash_type} ({hash_size} bytes), not SHA-256")
    if code_limit != dataoff:
        raise Malformed(f"the signature covers {code_limit} bytes, but the code runs to {dataoff}")
    page_size = 1 << page_log2 if page_log2 else code_limit
    if n_code != -(-code_limit // page_size):
        raise Malformed(f"the CodeDirectory lists {n_code} pages for {code_limit} bytes of {page_size}")
    if hash_offset + n_code * 32 > cd_length or hash_offset < n_special * 32:
        raise Malformed("the CodeDirectory's hash slots lie outside it")
    for page in range(n_code):
        start = page * page_size
        want = directory[hash_offset + page * 32:hash_offset + (page + 1) * 32]
        if hashlib.sha256(data[start:min(start + page_size, code_limit)]).digest() != want:
            raise Malformed(f"page {page} (bytes {start}..) does not match its hash: the file was "
                            "changed after it was signed")
    for slot in range(1, n_special + 1):
        want = directory[hash_offset - slot * 32:hash_offset - (slot - 1) * 32]
        blob = blobs.get(slot)
        got = hashlib.sha256(blob).digest() if blob is not None else bytes(32)
        if want != got:
            raise Malformed(f"special slot -{slot} does not match its blob")
    if any(CSSLOT_ALTERNATE_CODEDIRECTORIES <= kind < CSSLOT_ALTERNATE_CODEDIRECTORIES + 5 for kind in blobs):
        raise Malformed("the signature carries alternate CodeDirectories, which this check does not verify")
    identifier = _cstring(directory, ident_offset, cd_length)
    return CodeDirectory(identifier, flags, n_code, page_size)


def _inspect_macho(platform: str, data: bytes, report: Report) -> None:
    macho = parse_macho(data)
    report.facts.append(f"load commands: {', '.join(macho.commands)}")
    for command, path in macho.dylibs:
        report.facts.append(f"{command} {path}")
    if macho.dylinker:
        report.facts.append(f"LC_LOAD_DYLINKER {macho.dylinker}")
    if macho.min_macos:
        report.facts.append(f"minimum macOS {macho.min_macos}")
    others = [path for _, path in macho.dylibs if path not in MACHO_ALLOWED_DYLIBS]
    if others:
        report.problems.append(f"loads {', '.join(others)}; a release binary may load only "
                               f"{', '.join(MACHO_ALLOWED_DYLIBS)}")
    if not any(path == MACHO_ALLOWED_DYLIBS[0] for _, path in macho.dylibs):
        report.problems.append(f"does not load {MACHO_ALLOWED_DYLIBS[0]}, which every macOS program needs")
    if macho.signature is None:
        report.facts.append("no code signature")
        if platform == "darwin_arm64":
            report.problems.append("has no code signature (LC_CODE_SIGNATURE): macOS kills unsigned "
                                   "arm64 code; sign it ad hoc (`rcodesign sign`)")
        return
    try:
        directory = check_code_signature(data, *macho.signature)
    except Malformed as exc:
        report.problems.append(f"its code signature is invalid: {exc}")
        return
    kinds = [name for flag, name in ((CS_ADHOC, "ad hoc"), (CS_LINKER_SIGNED, "linker-signed"))
             if directory.flags & flag]
    report.facts.append(f"LC_CODE_SIGNATURE valid ({', '.join(kinds) or 'flags ' + hex(directory.flags)}; "
                        f"identifier {directory.identifier}; {directory.pages} pages of "
                        f"{directory.page_size} bytes, SHA-256)")


# --- ELF --------------------------------------------------------------------------------------

def _inspect_elf(data: bytes, report: Report) -> None:
    (phoff,) = _unpack("<Q", data, 32)
    phentsize, phnum = _unpack("<HH", data, 54)
    loads, dynamic, interpreter = [], None, None
    for index in range(phnum):
        p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = _unpack("<IIQQQQ", data, phoff + index * phentsize)
        if p_type == PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == PT_INTERP:
            interpreter = _cstring(data, p_offset, p_offset + p_filesz)
        elif p_type == PT_DYNAMIC:
            dynamic = (p_offset, p_filesz)
    needed_offsets, strtab = [], None
    if dynamic:
        for at in range(dynamic[0], dynamic[0] + dynamic[1], 16):
            tag, value = _unpack("<qQ", data, at)
            if tag == DT_NULL:
                break
            if tag == DT_NEEDED:
                needed_offsets.append(value)
            elif tag == DT_STRTAB:
                strtab = next((offset + value - vaddr for vaddr, offset, size in loads
                               if vaddr <= value < vaddr + size), None)
    if needed_offsets and strtab is None:
        raise Malformed("DT_NEEDED entries without a string table in a loaded segment")
    needed = [_cstring(data, strtab + offset, len(data)) for offset in needed_offsets]
    report.facts.append(f"interpreter {interpreter}" if interpreter else "no interpreter (static)")
    report.facts.extend(f"DT_NEEDED {name}" for name in needed)
    if interpreter or needed:
        report.problems.append(f"is dynamically linked ({', '.join(filter(None, [interpreter, *needed]))}); "
                               "a linux release binary must be static (musl)")


# --- PE ---------------------------------------------------------------------------------------

def _inspect_pe(data: bytes, report: Report) -> None:
    (pe,) = _unpack("<I", data, 0x3C)
    _sig, _machine, nsections, _t, _sym, _nsym, optional_size = _unpack("<IHHIIIH", data, pe)
    optional = pe + 24
    import_rva, _import_size = _unpack("<II", data, optional + 112 + 8)
    sections = [_unpack("<IIII", data, pe + 24 + optional_size + i * 40 + 8) for i in range(nsections)]

    def offset(rva: int) -> int:
        for vsize, vaddr, rawsize, rawptr in sections:
            if vaddr <= rva < vaddr + max(vsize, rawsize):
                return rawptr + rva - vaddr
        raise Malformed(f"RVA {rva:#x} lies in no section")

    dlls = []
    at = offset(import_rva) if import_rva else None
    while at is not None:
        _lookup, _time, _chain, name_rva, thunk = _unpack("<IIIII", data, at)
        if name_rva == 0 and thunk == 0:
            break
        dlls.append(_cstring(data, offset(name_rva), len(data)))
        at += 20
    report.facts.extend(f"imports {dll}" for dll in dlls)
    others = [dll for dll in dlls if dll.lower() not in WINDOWS_SYSTEM_DLLS
              and not dll.lower().startswith(("api-ms-win-", "ext-ms-win-"))]
    if others:
        report.problems.append(f"imports {', '.join(others)}, which Windows does not ship; link it "
                               "statically")


def inspect(platform: str, data: bytes) -> Report:
    """What `data` (the whole binary, already known to fit `platform` by release_binary) needs."""
    report = Report()
    try:
        if platform.startswith("darwin_"):
            _inspect_macho(platform, data, report)
        elif platform.startswith("linux_"):
            _inspect_elf(data, report)
        elif platform.startswith("windows_"):
            _inspect_pe(data, report)
        else:
            report.problems.append(f"unknown platform {platform}")
    except Malformed as exc:
        report.problems.append(f"is malformed: {exc}")
    return report
