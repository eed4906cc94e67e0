"""The package's shape (issues 15 and 19): the package is the pipeline, one subpackage a
stage; no import runs back up a stage, none comes back round in a cycle, and no module is
long enough to hide two concerns. Every import counts: at the top, inside a function, and
under TYPE_CHECKING."""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "handout"
STAGES = ("content", "layout", "render", "build", "hsds", "preview", "editor", "cli")
"""The stages in pipeline order: each may import the ones before it, never one after it."""
MAX_LINES = 450


def module_files() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The handout modules `path` imports (`from handout.x import y` counts as `handout.x.y`
    when y is a module, else as `handout.x`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = [f"{node.module}.{alias.name}" for alias in node.names]
            found.update(name for name in submodules if name in modules)
            if any(name not in modules for name in submodules):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def stage_of(module: str) -> int | None:
    """The position of a module's stage in `STAGES` (None for the package itself)."""
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 else None


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module from a later stage than its own, as `importer -> imported`."""
    found = []
    for module, imported in sorted(graph.items()):
        own = stage_of(module)
        for other in sorted(imported):
            theirs = stage_of(other)
            if own is not None and theirs is not None and theirs > own:
                found.append(f"{module} -> {other}")
    return found


def test_no_module_imports_itself_back() -> None:
    graph = import_graph()
    assert len(graph) > 40
    assert cycles(graph) == []


def test_no_import_runs_back_up_a_stage() -> None:
    assert upward_imports(import_graph()) == []


def test_the_package_holds_its_stages_and_nothing_else() -> None:
    """`ls handout/` shows the pipeline: a folder a stage, and no module beside them."""
    entries = {path.name for path in PACKAGE.iterdir() if path.name != "__pycache__"}
    assert entries == {"__init__.py", *STAGES}
    for stage in STAGES:
        docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
        assert docstring and len(docstring.splitlines()) <= 4, f"handout/{stage}/__init__.py"


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE))
)
def test_no_module_is_over_450_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by concern"


def test_the_tests_mirror_the_package_and_all_run(pytestconfig: pytest.Config) -> None:
    """tests/<stage>/ for each stage, and no folder of tests that pytest would skip (its
    default skips folders named build/, which is a stage's name)."""
    folders = {path.name for path in (ROOT / "tests").iterdir() if path.is_dir()}
    assert set(STAGES) <= folders
    skipped = pytestconfig.getini("norecursedirs")
    for folder in folders - {"data", "__pycache__"}:
        assert not any(fnmatch.fnmatch(folder, pattern) for pattern in skipped), folder


def test_the_checks_find_what_they_look_for() -> None:
    """The checks themselves: a cycle of three is reported, a chain is not; an import of a
    later stage is reported, one of an earlier stage is not."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    graph = {
        "handout.content.read": {"handout.layout.qr"},
        "handout.layout.qr": {"handout.content.models"},
        "handout.content.models": set(),
    }
    assert upward_imports(graph) == ["handout.content.read -> handout.layout.qr"]
