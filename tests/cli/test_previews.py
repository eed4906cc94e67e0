"""`python build.py previews`: the README's pictures of the materials, rerunnable."""

from __future__ import annotations

from pathlib import Path

from handout.cli.previews import MAX_BYTES, PAGES, SCRIPTS
from tests.conftest import ROOT, run_build


def test_previews_are_written_small_for_every_material(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    result = run_build("previews", "--out", tmp_path / "out", "--docs", docs)
    assert result.returncode == 0, result.stderr
    for material in [*PAGES, *(f"pocket-card-{language}" for language in SCRIPTS)]:
        image = docs / f"{material}.png"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", material
        assert image.stat().st_size < MAX_BYTES, material
        assert str(Path("docs") / f"{material}.png") in result.stdout or material in result.stdout


def test_the_readme_shows_every_preview() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for material in [*PAGES, *(f"pocket-card-{language}" for language in SCRIPTS)]:
        assert f"](docs/{material}.png)" in readme, material
