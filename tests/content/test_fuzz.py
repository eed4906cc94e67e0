"""Property-based: whatever a user types into a content file, loading ends in success or a
clean content error (file, line, fix), never an unhandled exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handout.content.errors import ContentErrors
from handout.content.load import load
from tests.conftest import CONTENT

FILES = sorted(str(path.relative_to(CONTENT)) for path in CONTENT.rglob("*.yaml"))
YAML_ALPHABET = st.sampled_from([*"abcdeimnorst-_:#'\"[]{}|>&*!%@`,?. \t\n0123456789\\", "é", "§"])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loads_cleanly(root: Path) -> None:
    try:
        load(root)
    except ContentErrors as error:
        assert error.problems
        for problem in error.problems:
            assert str(problem.file) and problem.message


class Workspace:
    """A scratch copy of the content, restored before each example."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fuzz-")) / "content"
        shutil.copytree(CONTENT, self.root)

    def write(self, name: str, text: str) -> Path:
        shutil.rmtree(self.root)
        shutil.copytree(CONTENT, self.root)
        (self.root / name).write_text(text, encoding="utf-8")
        return self.root


WORKSPACE = Workspace()


@SETTINGS
@given(name=st.sampled_from(FILES), text=st.text(YAML_ALPHABET, max_size=300))
def test_arbitrary_documents(name: str, text: str) -> None:
    loads_cleanly(WORKSPACE.write(name, text))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    lines = (CONTENT / name).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "edit"]))
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "indent":
            lines[at] = " " + lines[at]
        elif kind == "dedent":
            lines[at] = lines[at][1:]
        elif kind == "insert":
            lines.insert(at, draw(st.text(YAML_ALPHABET, max_size=40)))
        else:
            column = draw(st.integers(0, max(len(lines[at]) - 1, 0)))
            lines[at] = (
                lines[at][:column]
                + draw(st.text(YAML_ALPHABET, max_size=5))
                + lines[at][column + 1 :]
            )
        if not lines:
            lines = [""]
    return name, "\n".join(lines) + "\n"


@SETTINGS
@given(change=mutated())
def test_mutations_of_the_real_content(change: tuple[str, str]) -> None:
    name, text = change
    loads_cleanly(WORKSPACE.write(name, text))
