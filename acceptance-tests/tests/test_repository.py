"""The repository's shape, checked without a stack: ARCHITECTURE.md's code map names every
folder of code, and no two source files of a crate import each other."""

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def load(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


code_map = load("check_code_map")
import_loops = load("check_import_loops")


def test_code_map_covers_every_code_folder():
    missing, stale = code_map.check(REPO)
    assert not missing, f"add these folders to ARCHITECTURE.md's code map: {missing}"
    assert not stale, f"ARCHITECTURE.md's code map names folders that are gone: {stale}"


def test_code_map_check_sees_a_folder_left_out(tmp_path):
    (tmp_path / "core" / "src" / "new").mkdir(parents=True)
    (tmp_path / "core" / "src" / "new" / "a.rs").write_text("")
    (tmp_path / "ARCHITECTURE.md").write_text("## Code map\n\n- `core/src/gone/`: x\n\n## Next\n")
    assert code_map.check(tmp_path) == (["core/src/new/"], ["core/src/gone/"])


def test_no_source_file_imports_one_that_imports_it():
    failing, _ = import_loops.check(REPO)
    assert not failing, "\n\n".join(failing)


def write_crate(root, files):
    for name, text in files.items():
        path = root / "core" / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_import_loop_check_finds_a_loop_through_a_facade_and_code_paths(tmp_path):
    write_crate(
        tmp_path,
        {
            "lib.rs": "pub mod a;\n",
            "a/mod.rs": "mod x;\nmod y;\npub use x::X;\n",
            "a/x.rs": "use super::y::Y;\npub struct X(Y);\n",
            # through the facade's re-export, in code, not in a `use`
            "a/y.rs": "pub struct Y;\nfn f() -> crate::a::X { todo!() }\n",
        },
    )
    failing, _ = import_loops.check(tmp_path, crates=("core",), allowed={})
    assert len(failing) == 1 and "core/src/a/x.rs, core/src/a/y.rs" in failing[0], failing


def test_import_loop_check_leaves_tests_and_comments_out(tmp_path):
    write_crate(
        tmp_path,
        {
            "lib.rs": "pub mod a;\npub mod b;\n",
            "a.rs": "use crate::b::B;\npub struct A(B);\n",
            "b.rs": textwrap.dedent(
                """\
                // use crate::a::A;
                pub struct B;
                const S: &str = "crate::a::A";
                #[cfg(test)]
                mod tests {
                    use crate::a::A;
                }
                #[cfg(test)]
                #[path = "b_tests.rs"]
                mod more;
                """
            ),
            "b_tests.rs": "use crate::a::A;\n",
        },
    )
    assert import_loops.check(tmp_path, crates=("core",), allowed={}) == ([], [])


def test_import_loop_allow_list_only_takes_the_folders_being_converted(tmp_path):
    with pytest.raises(ValueError):
        import_loops.check(tmp_path, allowed={frozenset({"core/src/a.rs", "core/src/b.rs"}): "why"})
