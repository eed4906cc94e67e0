"""Output into a pipe whose reader is gone (`python build.py --list | head -5`) ends every
command quietly with 141, as a program killed by SIGPIPE (issue 21, defect 22): it printed
"This is a bug in handout" with exit 3, or Python's "Exception ignored" with exit 120."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from handout.cli.main import COMMANDS, OUTPUT_CLOSED
from tests.conftest import ROOT


def into_closed_pipe(args: list[str | Path], stream: str = "stdout") -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` with its `stream` going into a real pipe whose reader, a
    `head -n 0`, has already read nothing and ended: every write fails (EPIPE)."""
    read, write = os.pipe()
    try:
        with subprocess.Popen(["head", "-n", "0"], stdin=read) as reader:
            reader.wait(timeout=120)
        os.close(read)
        read = -1
        return subprocess.run(
            [sys.executable, str(ROOT / "build.py"), *map(str, args)],
            stdout=write if stream == "stdout" else subprocess.PIPE,
            stderr=write if stream == "stderr" else subprocess.PIPE,
            cwd=ROOT, timeout=300, text=True,
        )  # fmt: skip
    finally:
        os.close(write)
        if read >= 0:
            os.close(read)


def assert_quiet(result: subprocess.CompletedProcess, stream: str = "stdout") -> None:
    said = result.stderr if stream == "stdout" else result.stdout
    assert result.returncode == OUTPUT_CLOSED, said
    assert "Traceback" not in said and "bug in handout" not in said
    assert "Exception ignored" not in said


HELP = [[name, "--help"] for name in COMMANDS] + [["--help"]]


@pytest.mark.parametrize("args", HELP, ids=[" ".join(args) for args in HELP])
def test_every_command_s_help_into_a_closed_pipe(args: list[str]) -> None:
    assert_quiet(into_closed_pipe(list(args)))


@pytest.mark.parametrize(
    "args",
    [["--list"], ["--check"], ["translations", "status"], ["schema", "--out", "{tmp}"]],
    ids=["--list", "--check", "translations status", "schema"],
)
def test_commands_into_a_closed_pipe(args: list[str], tmp_path: Path) -> None:
    assert_quiet(into_closed_pipe([arg.replace("{tmp}", str(tmp_path)) for arg in args]))


def test_a_command_that_writes_content_into_a_closed_pipe(content_copy: Path) -> None:
    """The files are written; only the report is lost."""
    args = ["mark-checked", "ct-211", "--date", "2026-11-29", "--content", content_copy]
    assert_quiet(into_closed_pipe(args))
    assert "checked: 2026-11-29" in (content_copy / "resources" / "connecticut.yaml").read_text()


def test_an_error_message_into_a_closed_pipe() -> None:
    """`2>&1 | head`: the message of a mistake meets the closed pipe too."""
    assert_quiet(into_closed_pipe(["mark-checked", "no-such-id"], "stderr"), "stderr")
