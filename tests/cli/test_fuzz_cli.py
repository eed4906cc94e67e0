"""Property-based: mutated content files and translation catalogs, run through the real
command line (`--check`, in process): the run ends in success or in exit code 1 with a
located message, never in exit code 3 (a bug) and never in an unhandled exception."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handout.cli.main import main
from tests.conftest import CONTENT, ROOT

YAML_FILES = sorted(str(path.relative_to(CONTENT)) for path in CONTENT.rglob("*.yaml"))
PO_FILES = sorted(str(path.relative_to(CONTENT)) for path in CONTENT.rglob("*.po"))
NASTY = st.sampled_from(
    [
        *"abcmnorst-_:#'\"[]{}|>&*!%@`,?. \t\n0123\\",
        *["é", "\x00", "\x07", "\x97", "\u00ad", "\u200b", "\ufeff", "&a ", "*a", "<<: "],
        *["msgid ", "msgstr ", "msgstr[0] ", "msgstr[x] ", "#, fuzzy", '"', "\\n", "msgctxt "],
        *["nplurals=x", "charset=x"],
    ]
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Workspace:
    """A scratch copy of the content, restored before each example."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fuzz-cli-")) / "content"

    def write(self, name: str, data: bytes) -> Path:
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.copytree(CONTENT, self.root)
        (self.root / name).write_bytes(data)
        return self.root


WORKSPACE = Workspace()


def check_exits_cleanly(root: Path) -> None:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--check", "--content", str(root)], root=ROOT)
    assert code in (0, 1), stderr.getvalue()
    if code == 1:
        assert stderr.getvalue().startswith("error: "), stderr.getvalue()
        assert "Traceback" not in stderr.getvalue()


@st.composite
def mutated(draw: st.DrawFn, files: list[str]) -> tuple[str, bytes]:
    """One real file with 1-3 lines deleted, doubled, re-indented or edited."""
    name = draw(st.sampled_from(files))
    lines = (CONTENT / name).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        kind = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "edit"]))
        if not lines:
            lines = [""]
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "indent":
            lines[at] = " " + lines[at]
        elif kind == "dedent":
            lines[at] = lines[at][1:]
        elif kind == "insert":
            lines.insert(at, "".join(draw(st.lists(NASTY, max_size=12))))
        else:
            column = draw(st.integers(0, max(len(lines[at]) - 1, 0)))
            lines[at] = (
                lines[at][:column]
                + "".join(draw(st.lists(NASTY, max_size=4)))
                + lines[at][column + 1 :]
            )
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if draw(st.booleans()) and draw(st.booleans()):  # now and then, bytes that are not UTF-8
        at = draw(st.integers(0, len(data)))
        data = (
            data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x97", b"\xfe\xff"])) + data[at:]
        )
    return name, data


@SETTINGS
@given(change=mutated(YAML_FILES))
def test_mutated_content_files_never_crash_the_command_line(change: tuple[str, bytes]) -> None:
    check_exits_cleanly(WORKSPACE.write(*change))


@SETTINGS
@given(change=mutated(PO_FILES))
def test_mutated_translation_catalogs_never_crash_the_command_line(
    change: tuple[str, bytes],
) -> None:
    check_exits_cleanly(WORKSPACE.write(*change))
