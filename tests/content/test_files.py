"""Every file the project writes goes through one atomic write (issue 21, defects 1 and 2):
nothing in the package writes a file any other way, a full disk leaves every file as it
was and is a clean error, and the writers of the content folder wait for each other and
never write over a change made while they worked (defect 3)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, assert_clean_failure
from tests.content.test_translations import change_flyer_subhead
from tests.disk import full_disk, limited, run_limited, snapshot

PACKAGE = ROOT / "handout"
HELPER = PACKAGE / "content" / "files.py"
BUILD = ROOT / "build.py"
HSDS_SET = ROOT / "tests" / "data" / "hsds" / "json" / "sample-county.json"

# --- No write outside the helper ------------------------------------------------------------

WRITE_MODE = set("wax+")
ALWAYS = {
    "write_text", "write_bytes", "touch", "symlink_to", "hardlink_to", "rename", "mkstemp",
    "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile", "truncate", "ftruncate",
}  # fmt: skip
"""Calls that write (or rename, cut) a file whatever their arguments."""
OWNED = {
    "os": {"open", "replace", "write", "link", "symlink"},
    "shutil": {"copy", "copy2", "copyfile", "copytree", "copymode", "copystat", "move"},
}
"""Calls that write when they are these modules' (elsewhere, `open`'s mode decides, and
`.replace`, `.write` or `.copy` are most often a string's, a stream's or a document's)."""
WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}
"""The flags of an `os.open` that may write (`os.O_RDONLY` alone reads: a folder to lock)."""

ALLOWED = {
    ("handout/cli/main.py", "open"): "os.devnull, where the output goes once its pipe was "
    "closed (the Python documentation's advice on SIGPIPE): no file is written",
}
"""Writes that are not files of the project. Each says why."""


def _mode(call: ast.Call, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "mode":
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def writes_in(source: str) -> list[tuple[int, str]]:
    """The lines and names of the calls in `source` that write a file.

    `open(path, mode)`, `io.open`, `os.fdopen(fd, mode)` and `path.open(mode)` count when
    their mode writes (w, a, x, +) or is not a literal; other `.open(x)` calls without a
    literal mode (`Pdf.open(stream)`, `Image.open(path)`) read. PIL's and pikepdf's `save`
    write into memory buffers in this package; WeasyPrint's `write_pdf` counts when it is
    given a target."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(
            func.value, ast.Name
        ) else None  # fmt: skip
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        writes = name in ALWAYS or name in OWNED.get(owner or "", ())
        if owner == "os" and name == "open":  # os.open(path, flags): its flags decide
            flags = {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
            writes = bool(flags & WRITE_FLAGS) or not flags
        if (name == "open" and owner != "os") or name == "fdopen":
            # open(file, mode), io.open, os.fdopen(fd, mode); else a path's .open(mode) or
            # another library's .open(source), whose first argument is no mode
            stream_of = isinstance(func, ast.Name) or owner in ("io", "os", "gzip", "codecs")
            mode = _mode(node, 1 if stream_of else 0)
            literal = isinstance(mode, ast.Constant) and isinstance(mode.value, str)
            if literal:
                writes = bool(WRITE_MODE & set(mode.value))  # type: ignore[union-attr]
            elif mode is not None:
                writes = stream_of or any(keyword.arg == "mode" for keyword in node.keywords)
        if name == "write_pdf" and (node.args or any(k.arg == "target" for k in node.keywords)):
            writes = True
        if writes:
            found.append((node.lineno, name))
    return found


def test_the_check_finds_writes() -> None:
    source = (
        "open(p, 'w')\nopen(p)\np.open('ab')\np.open()\nos.fdopen(h, 'wb')\np.write_text('x')\n"
        "p.write_bytes(b'')\nos.replace(a, b)\n'x'.replace('a', 'b')\nshutil.copy(a, b)\n"
        "Pdf.open(stream)\nio.open(p, mode='r+')\nos.open(p, 0)\nos.open(p, os.O_RDONLY)\n"
        "d.write_pdf(p)\nd.write_pdf()\nopen(p, mode)\n"
    )
    assert [line for line, _name in writes_in(source)] == [1, 3, 5, 6, 7, 8, 10, 12, 13, 15, 17]


def test_no_file_is_written_outside_the_one_atomic_write() -> None:
    found, used = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == HELPER:
            continue
        relative = path.relative_to(ROOT).as_posix()
        for line, name in writes_in(path.read_text(encoding="utf-8")):
            if (relative, name) in ALLOWED:
                used.add((relative, name))
            else:
                found.append(f"{relative}:{line}: {name}")
    assert not found, "write these with handout.content.files:\n" + "\n".join(found)
    assert used == set(ALLOWED), "an allowed write is gone: take it off the list"


# --- The write itself -----------------------------------------------------------------------


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


def test_a_rewritten_file_keeps_its_mode_and_a_new_one_follows_the_umask(
    tmp_path: Path, umask: int
) -> None:
    from handout.content.files import append_line, write

    old = tmp_path / "old.yaml"
    old.write_text("old\n")
    old.chmod(0o664)
    write(old, "new\n")
    write(tmp_path / "new.yaml", b"new\n")
    append_line(tmp_path / "log.jsonl", "{}")
    assert old.read_text() == "new\n" and old.stat().st_mode & 0o777 == 0o664
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (tmp_path / "log.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.jsonl", "new.yaml", "old.yaml"]


def test_a_text_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    from handout.content.files import write

    path = tmp_path / "a.yaml"
    path.write_text("kept\n")
    with pytest.raises(UnicodeEncodeError):
        write(path, "\udc00")
    assert path.read_text() == "kept\n" and os.listdir(tmp_path) == ["a.yaml"]


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path: Path) -> None:
    from handout.content.files import Changed, write, write_all

    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("a\r\n")
    second.write_text("theirs\n")
    write(first, "A\n", was="a\n")  # as read_text gives it
    assert first.read_text() == "A\n"
    with pytest.raises(Changed) as caught:
        write_all([(first, "x\n"), (second, "y\n")], {first: "A\n", second: b"ours\n"})
    assert caught.value.now == "theirs\n"
    assert first.read_text() == "A\n" and second.read_text() == "theirs\n", "a set: neither"
    with pytest.raises(Changed):
        write(tmp_path / "new.yaml", "x", was="")  # it must exist, empty
    write(tmp_path / "new.yaml", "x", was=None)
    with pytest.raises(Changed):
        write(tmp_path / "new.yaml", "y", was=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "new.yaml"]


# --- A full disk, for real ------------------------------------------------------------------


def test_mark_checked_on_a_full_disk_changes_nothing(content_copy: Path) -> None:
    """It truncated resources/connecticut.yaml mid-line, with exit 3 and a traceback."""
    before = snapshot(content_copy)
    size = len(before["resources/connecticut.yaml"]) // 2
    result = run_limited(
        size, "mark-checked", "ct-211", "--date", "2026-11-29", "--content", content_copy
    )
    assert_clean_failure(
        result, "resources/connecticut.yaml", "File too large", "no file was changed"
    )
    assert snapshot(content_copy) == before


def test_translations_update_on_a_full_disk_changes_no_catalog(content_copy: Path) -> None:
    """It cut locale/es.po short (166 of 371 translations gone). The catalogs are one set:
    with room for the template but not for a catalog, none is written."""
    change_flyer_subhead(content_copy)  # the catalogs have a changed text to take in
    before = snapshot(content_copy)
    size = len(before["locale/messages.pot"]) + 1000
    assert size < len(before["locale/es.po"])
    result = run_limited(size, "translations", "update", "--content", content_copy)
    assert_clean_failure(result, "locale/es.po", "File too large", "none of the catalogs")
    assert snapshot(content_copy) == before


def test_an_import_on_a_full_disk_changes_nothing(content_copy: Path, tmp_path: Path) -> None:
    """The import checks a scratch copy of the content before writing: neither that copy
    (in the temporary folder) nor the files themselves may fail with a traceback."""
    before = snapshot(content_copy)
    args = ["import-hsds", HSDS_SET, "--region", "danbury", "--content"]
    result = run_limited(1500, *args, content_copy)
    assert_clean_failure(result, "File too large", "to check the change there", "nothing was")
    assert snapshot(content_copy) == before
    with full_disk(content_copy, tmp_path) as content:
        result = subprocess.run(
            [sys.executable, str(BUILD), *map(str, args), content], capture_output=True,
            text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip
        assert_clean_failure(result, "No space left on device", "nothing was imported")
        assert snapshot(content) == before


def test_schema_and_verify_sheet_on_a_full_disk_change_nothing(tmp_path: Path) -> None:
    schema = Path(shutil.copytree(ROOT / "schema", tmp_path / "schema"))
    before = snapshot(schema)
    result = run_limited(2000, "schema", "--out", schema)
    assert_clean_failure(result, "File too large", "none of the schema files")
    assert snapshot(schema) == before
    out = tmp_path / "out"
    out.mkdir()
    (out / "verify-sheet.csv").write_text("kept\n")
    result = run_limited(3000, "verify-sheet", "--all", "--out", out)  # its fonts fail first
    assert_clean_failure(result, "File too large", "is the disk full? Nothing was written")
    assert snapshot(out) == {"verify-sheet.csv": b"kept\n"}


def test_a_line_added_to_a_log_on_a_full_disk_leaves_the_log_as_it_was(tmp_path: Path) -> None:
    log = tmp_path / "editor-history.jsonl"
    log.write_bytes(b'{"a": 1}\n{"b": 2}\n')
    script = (
        "import sys; from pathlib import Path; from handout.content.files import append_line\n"
        "append_line(Path(sys.argv[1]), '{\"c\": \"' + 'x' * 500 + '\"}')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(log)], capture_output=True, text=True, cwd=ROOT,
        timeout=60, preexec_fn=limited(100),
    )  # fmt: skip
    assert result.returncode == 1 and "WriteFailed" in result.stderr
    assert log.read_bytes() == b'{"a": 1}\n{"b": 2}\n'


def test_a_log_cut_short_gets_its_next_line_on_a_line_of_its_own(tmp_path: Path) -> None:
    from handout.content.files import append_line

    log = tmp_path / "editor-history.jsonl"
    log.write_bytes(b'{"a": 1}\n{"b": ')
    append_line(log, '{"c": 3}')
    assert log.read_bytes() == b'{"a": 1}\n{"b": \n{"c": 3}\n'


# --- One writer at a time, and no write over a change made meanwhile ------------------------

HOLDER = """
import sys
from pathlib import Path
from handout.content.lock import content_lock
with content_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def writers(content: Path) -> dict[str, tuple[list[str | Path], Path]]:
    """Each command-line writer of the content folder, and a file it writes."""
    return {
        "mark-checked": (
            ["mark-checked", "ct-211", "--date", "2026-11-29", "--content", content],
            content / "resources" / "connecticut.yaml",
        ),
        "translations update": (
            ["translations", "update", "--content", content],
            content / "locale" / "es.po",
        ),
        "import-hsds": (
            ["import-hsds", HSDS_SET, "--region", "danbury", "--content", content],
            content / "regions" / "danbury.yaml",
        ),
    }


@pytest.mark.parametrize("writer", ["mark-checked", "translations update", "import-hsds"])
def test_a_writer_waits_for_the_lock_and_keeps_a_change_made_meanwhile(
    content_copy: Path, writer: str
) -> None:
    """A real second process holds the content folder's lock. The writer must wait for it
    (it says so); a text editor's save made while it waits (no lock) must then stop it,
    with nothing written, instead of being overwritten."""
    args, target = writers(content_copy)[writer]
    if writer == "translations update":
        change_flyer_subhead(content_copy)  # else it has nothing to write, and no lock to take
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(content_copy)], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    ) as holder:  # fmt: skip
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        running = subprocess.Popen(
            [sys.executable, str(BUILD), *map(str, args)], cwd=ROOT, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert running.stderr is not None
        said = ""
        while "waiting:" not in said:
            line = running.stderr.readline()
            if not line:
                running.communicate(timeout=300)
                pytest.fail(f"{writer} did not wait for the lock: {said}")
            said += line
        assert "content folder" in said
        theirs = target.read_bytes() + b"# saved in a text editor meanwhile\n"
        target.write_bytes(theirs)
        holder.stdin.close()  # the holder lets go
    out, err = running.communicate(timeout=300)
    assert running.returncode == 1, out + err
    assert "changed by someone else" in err and "Traceback" not in err
    assert target.read_bytes() == theirs
    assert not (content_copy / "resources" / "hsds-danbury.yaml").exists()
