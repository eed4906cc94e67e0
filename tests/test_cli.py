"""The command line as a user runs it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_build


def test_build_prints_what_it_built_and_is_reproducible(
    tmp_path: Path, built: dict[str, Path]
) -> None:
    result = run_build("--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for material in ("pocket-card", "flyer", "booklet"):
        assert f"new-milford/en/{material}.pdf" in result.stdout
    assert "2 pages" in result.stdout
    assert "Built 3 PDFs in" in result.stdout
    for material, path in built.items():
        again = tmp_path / "out" / "new-milford" / "en" / f"{material}.pdf"
        assert again.read_bytes() == path.read_bytes(), f"{material} differs between builds"


def test_help_lists_the_options() -> None:
    result = run_build("--help")
    assert result.returncode == 0
    for option in ("--content", "--out", "--templates", "--region", "--material"):
        assert option in result.stdout
