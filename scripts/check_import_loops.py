#!/usr/bin/env python3
"""Fails when two source files of one crate import each other, directly or through a longer loop.

Each file of a crate's `src/` is a module (`a/b.rs` and `a/b/mod.rs` are `crate::a::b`). A file
depends on another when it names one of its items: a `use` of a `crate::`, `super::`, `self::` or
child-module path, or such a path written in code. Paths are followed through re-exports
(`pub use` and the imports a parent holds for its children) to the file that defines the item,
so a `mod.rs` that re-exports its children is a facade, not a party to a loop: its `pub use`
lines are dependencies only where its own code uses the name. Test code (`#[cfg(test)]` items and the files they declare) and
single-file binary roots (`main.rs`, `src/bin/`) are left out.

Usage: scripts/check_import_loops.py [REPO]   (prints every loop with the names that tie it)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

CRATES = ("core", "tfplugin", "tfplugin-derive", "provider")

# Loops the project knows of and has not broken yet: the folders named here only, each with why.
# An entry is the loop's files, relative to the repository.
ALLOWED: dict[frozenset[str], str] = {}
ALLOWED_FOLDERS = ("provider/src/resources/baremetal_host/", "provider/src/functions/bmh/")

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip_comments_and_strings(text: str) -> str:
    """The code without comments, and with every string and char literal emptied."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif (m := re.match(r'b?r(#*)"', text[i:])) and (i == 0 or not re.match(r"\w", text[i - 1])):
            end = text.find('"' + m.group(1), i + m.end())
            out.append('""')
            i = n if end < 0 else end + 1 + len(m.group(1))
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            out.append('""')
            i += 1
        elif c == "'" and (m := re.match(r"'(\\.[^']*|[^\\'])'", text[i:])):
            out.append("' '")
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def item_end(code: str, start: int) -> int:
    """Where the item beginning at `start` ends: after its first `;` or its first `{...}`."""
    depth = 0
    for i in range(start, len(code)):
        ch = code[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == ";" and depth == 0:
            return i + 1
    return len(code)


CFG_TEST = re.compile(r"#\[cfg\(test\)\]")
ATTRS_THEN_MOD = re.compile(
    rf"\s*((?:#\[[^\]]*\]\s*)*)(?:pub(?:\([^)]*\))?\s+)?mod\s+({IDENT})\s*;"
)


def drop_test_code(code: str) -> tuple[str, list[tuple[str, str | None]]]:
    """The code without its `#[cfg(test)]` items, and the test modules it declares by file."""
    test_mods: list[tuple[str, str | None]] = []
    while m := CFG_TEST.search(code):
        decl = ATTRS_THEN_MOD.match(code, m.end())
        if decl:
            path = re.search(r'#\[path\s*=\s*"([^"]*)"\]', code[m.start() : decl.end()])
            test_mods.append((decl.group(2), path.group(1) if path else None))
        code = code[: m.start()] + code[item_end(code, m.end()) :]
    return code, test_mods


def split_top(text: str) -> list[str]:
    """`a, b::{c, d}` split at its top-level commas."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def use_tree(tree: str, prefix: list[str]) -> list[tuple[list[str], str | None]]:
    """Every path of a `use` tree with the name it binds (None for a glob)."""
    tree = re.sub(r"\s+", "", tree.replace(" as ", "@"))
    if tree.startswith("::"):
        tree = tree[2:]
    brace = tree.find("{")
    if brace >= 0 and tree.endswith("}"):
        head = [s for s in tree[:brace].split("::") if s]
        out = []
        for part in split_top(tree[brace + 1 : -1]):
            out.extend(use_tree(part, prefix + head))
        return out
    alias = None
    if "@" in tree:
        tree, alias = tree.split("@", 1)
    segs = [s for s in tree.split("::") if s]
    if segs and segs[-1] == "*":
        return [(prefix + segs[:-1], None)]
    if segs and segs[-1] == "self":
        segs = segs[:-1]
    path = prefix + segs
    return [(path, alias or (path[-1] if path else None))]


USE = re.compile(r"(?<![\w:])(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);")
CODE_PATH = re.compile(rf"(?<![\w:$])({IDENT}(?:\s*::\s*{IDENT})+)")


@dataclass
class Module:
    file: Path
    path: tuple[str, ...]
    code: str = ""
    # name -> absolute path, for every `use` of this file (what its children can see through it)
    imports: dict[str, tuple[str, ...]] = field(default_factory=dict)
    globs: list[tuple[str, ...]] = field(default_factory=list)
    # the references that make dependencies: (absolute path, as written)
    refs: list[tuple[tuple[str, ...], str]] = field(default_factory=list)


class Crate:
    def __init__(self, repo: Path, root: Path):
        self.repo = repo
        self.src = root / "src"
        self.modules: dict[tuple[str, ...], Module] = {}
        tests: set[Path] = set()
        for file in sorted(self.src.rglob("*.rs")):
            rel = file.relative_to(self.src)
            if rel.parts[0] == "bin" or rel == Path("main.rs"):
                continue
            code, test_mods = drop_test_code(strip_comments_and_strings(file.read_text()))
            path = self.module_path(rel)
            self.modules[path] = Module(file, path, code)
            for name, explicit in test_mods:
                for cand in self.declared_files(file, name, explicit):
                    tests.add(cand.resolve())
        self.modules = {p: m for p, m in self.modules.items() if m.file.resolve() not in tests}
        self.by_file = {m.file: m for m in self.modules.values()}
        for module in self.modules.values():
            self.read_uses(module)

    @staticmethod
    def module_path(rel: Path) -> tuple[str, ...]:
        parts = list(rel.with_suffix("").parts)
        if parts[-1] in ("mod", "lib"):
            parts.pop()
        return tuple(parts)

    @staticmethod
    def declared_files(parent: Path, name: str, explicit: str | None) -> list[Path]:
        if explicit:
            return [parent.parent / explicit]
        base = parent.parent if parent.name in ("mod.rs", "lib.rs") else parent.with_suffix("")
        return [base / f"{name}.rs", base / name / "mod.rs"]

    def absolute(self, here: tuple[str, ...], segs: list[str]) -> tuple[str, ...] | None:
        """A path written in module `here` as an absolute module path, or None if external."""
        if not segs:
            return None
        if segs[0] == "crate":
            return tuple(segs[1:])
        if segs[0] in ("super", "self"):
            base = list(here)
            while segs and segs[0] in ("super", "self"):
                if segs[0] == "super":
                    if not base:
                        return None
                    base.pop()
                segs = segs[1:]
            return tuple(base + segs)
        if here + (segs[0],) in self.modules:
            return here + tuple(segs)
        return None

    def read_uses(self, module: Module) -> None:
        code = module.code
        rest = USE.sub(" ", code)
        for m in USE.finditer(code):
            facade = m.group(1) is not None
            for segs, name in use_tree(m.group(2), []):
                absolute = self.absolute(module.path, segs)
                if absolute is None:
                    continue
                if name is None:
                    module.globs.append(absolute)
                elif name != "_":
                    module.imports[name] = absolute
                # A re-export is a dependency only where the file's own code uses the name too.
                if not facade or (name and re.search(rf"(?<![\w:]){re.escape(name)}\b", rest)):
                    module.refs.append((absolute, "::".join(segs)))
        for m in CODE_PATH.finditer(rest):
            segs = [s.strip() for s in m.group(1).split("::")]
            if segs[0] in ("crate", "super", "self") or module.path + (segs[0],) in self.modules:
                absolute = self.absolute(module.path, segs)
                if absolute is not None:
                    module.refs.append((absolute, "::".join(segs)))

    def defines(self, module: Module, name: str) -> bool:
        kinds = r"(?:fn|struct|enum|trait|type|const|static|mod|union)"
        return bool(re.search(rf"\b{kinds}\s+{re.escape(name)}\b|macro_rules!\s*{re.escape(name)}\b", module.code))

    def resolve(self, path: tuple[str, ...], seen: frozenset = frozenset()) -> Module | None:
        """The module whose file defines the item at `path`, through re-exports."""
        for cut in range(len(path), -1, -1):
            module = self.modules.get(path[:cut])
            if module is None:
                continue
            rest = path[cut:]
            if not rest or (module.path, rest[0]) in seen:
                return module
            seen = seen | {(module.path, rest[0])}
            if rest[0] in module.imports and not self.defines(module, rest[0]):
                found = self.resolve(module.imports[rest[0]] + rest[1:], seen)
                return found or module
            if not self.defines(module, rest[0]):
                for glob in module.globs:
                    target = self.resolve(glob, seen)
                    if target is not None and (target.path + (rest[0],) in self.modules or self.defines(target, rest[0])):
                        return self.resolve(glob + rest, seen) or target
            return module
        return None

    def edges(self) -> dict[Path, dict[Path, set[str]]]:
        graph: dict[Path, dict[Path, set[str]]] = {m.file: {} for m in self.modules.values()}
        for module in self.modules.values():
            for absolute, written in module.refs:
                target = self.resolve(absolute)
                if target is not None and target.file != module.file:
                    graph[module.file].setdefault(target.file, set()).add(written)
        return graph


def loops(graph: dict[Path, dict[Path, set[str]]]) -> list[list[Path]]:
    """The strongly connected components of more than one file (Tarjan)."""
    index: dict[Path, int] = {}
    low: dict[Path, int] = {}
    stack: list[Path] = []
    on_stack: set[Path] = set()
    found: list[list[Path]] = []

    def visit(v: Path) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def check(repo: Path, crates=CRATES, allowed=None) -> tuple[list[str], list[str]]:
    """(loops that fail the check, loops allowed), each worded with the names that tie it."""
    allowed = ALLOWED if allowed is None else allowed
    for files, reason in allowed.items():
        if not reason or not all(f.startswith(ALLOWED_FOLDERS) for f in files):
            raise ValueError(f"an allowed loop must lie in {ALLOWED_FOLDERS} and say why: {sorted(files)}")
    failing, known = [], []
    for name in crates:
        if not (repo / name / "src").is_dir():
            continue
        graph = Crate(repo, repo / name).edges()
        for component in loops(graph):
            rel = [str(f.relative_to(repo)) for f in component]
            lines = [f"loop of {len(rel)} files: {', '.join(rel)}"]
            for a in component:
                for b, names in sorted(graph[a].items()):
                    if b in component:
                        lines.append(f"  {a.relative_to(repo)} -> {b.relative_to(repo)}: {', '.join(sorted(names))}")
            (known if frozenset(rel) in allowed else failing).append("\n".join(lines))
    return failing, known


def main() -> int:
    repo = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    failing, known = check(repo)
    for text in known:
        print("allowed " + text)
    for text in failing:
        print(text)
    if failing:
        print(f"{len(failing)} import loop(s): move the shared piece to a module both can import")
        return 1
    print("no import loops")
    return 0


if __name__ == "__main__":
    sys.exit(main())
