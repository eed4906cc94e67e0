"""The command line as a user runs it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_build


def test_build_prints_what_it_built_and_is_reproducible(
    tmp_path: Path, built: dict[str, Path]
) -> None:
    result = run_build("--out", tmp_path / "out", "--region", "new-milford", "--lang", "en")
    assert result.returncode == 0, result.stderr
    for material in ("pocket-card", "flyer", "booklet"):
        assert f"new-milford/en/{material}.pdf" in result.stdout
    assert "2 pages" in result.stdout
    assert "Built 6 PDFs in" in result.stdout
    for edition in ("index.html", "text-message.txt"):
        assert f"new-milford/en/{edition}" in result.stdout
    for material, path in built.items():
        again = tmp_path / "out" / "new-milford" / "en" / f"{material}.pdf"
        assert again.read_bytes() == path.read_bytes(), f"{material} differs between builds"


def test_help_lists_the_options() -> None:
    result = run_build("--help")
    assert result.returncode == 0
    for option in ("--content", "--out", "--templates", "--region", "--material"):
        assert option in result.stdout


def test_list_prints_the_whole_matrix_without_building(tmp_path: Path) -> None:
    result = run_build("--list", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert len([line for line in lines if line.endswith(".pdf")]) == 126  # 3 x 7 x 6 materials
    assert len([line for line in lines if line.endswith(("index.html", ".txt"))]) == 42
    assert any(line.endswith("waterbury/pt/discreet-card.pdf") for line in lines)
    assert not (tmp_path / "out").exists()


def test_a_subset_takes_several_ids_per_option(tmp_path: Path) -> None:
    result = run_build(
        "--region",
        "danbury",
        "--lang",
        "es",
        "pt",
        "--material",
        "pocket-card",
        "discreet-card",
        "--out",
        tmp_path / "out",
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 8  # 4 cards + their print sheets
    assert "Built 4 PDFs" in result.stdout
    assert "draft translations" in result.stdout
