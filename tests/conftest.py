"""Shared fixtures: a real build of the default content, and throwaway content copies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.layout.materials import EDITIONS, MATERIALS

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"


LARGE_PRINT = tuple(material for material in MATERIALS if material.startswith("large-print-"))
LARGE_PRINT_REGIONS = ("new-milford",)
"""The matrix builds large print for one region, in every language: its booklets take as
long to render as the regular ones (about a minute more for each region)."""


def build_matrix(out: Path) -> None:
    """Every region × language × material and edition (phone page, text message), large
    print in `LARGE_PRINT_REGIONS` only: two builds into one folder (the second keeps the
    first's variants)."""
    regular = (*(material for material in MATERIALS if material not in LARGE_PRINT), *EDITIONS)
    quiet = lambda _line: None  # noqa: E731
    build(BuildOptions(CONTENT, TEMPLATES, out, materials=regular, jobs=2), report=quiet)
    build(
        BuildOptions(
            CONTENT, TEMPLATES, out, regions=LARGE_PRINT_REGIONS, materials=LARGE_PRINT, jobs=2
        ),
        report=quiet,
    )


REGULAR = ("--material", "pocket-card", "discreet-card", "flyer", "booklet")
"""A build's options for the four regular materials only: the tests of how builds behave
(incremental, shards, thumbnails) need no large print, which takes as long as all four."""


def in_matrix(region: str, material: str) -> bool:
    """Whether the matrix builds `material` for `region` (see `LARGE_PRINT_REGIONS`)."""
    return material not in LARGE_PRINT or region in LARGE_PRINT_REGIONS


@pytest.fixture(scope="session")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every region × language × material of the default content (large print in one
    region), built once: the output folder. Under pytest-xdist (`-n 2`) the workers share
    one build: the first to need it builds it in their common temporary folder while the
    others wait on a lock."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp("output")
        build_matrix(out)
        return out
    shared = tmp_path_factory.getbasetemp().parent
    out = shared / "matrix-output"
    with FileLock(shared / "matrix-output.lock"):
        if not (shared / "matrix-output.done").exists():
            build_matrix(out)
            (shared / "matrix-output.done").touch()
    return out


@pytest.fixture(scope="session")
def built(matrix: Path) -> dict[str, Path]:
    """The New Milford materials in English."""
    return {material: matrix / "new-milford" / "en" / f"{material}.pdf" for material in MATERIALS}


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of the default content that a test may break."""
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


@pytest.fixture
def templates_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TEMPLATES, tmp_path / "templates"))


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in a file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_build(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS` as a user would."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    """A user mistake: exit 1, no traceback, and each of `expected` in the message."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"


def pdfs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pdf")) if folder.exists() else []
