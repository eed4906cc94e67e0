"""Compiled templates are kept in memory between builds of one process (serve), and an
edited template is compiled again: the cache never serves an old version."""

from __future__ import annotations

from pathlib import Path

from handout.layout.html import COMPILED, Templates


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    template = tmp_path / "card.html"
    template.write_text("<p>{{ 'one' }}</p>", encoding="utf-8")
    assert Templates(tmp_path).env.get_template("card.html").render() == "<p>one</p>"
    kept = len(COMPILED.compiled)
    # A second build in the same process reuses the compiled template...
    assert Templates(tmp_path).env.get_template("card.html").render() == "<p>one</p>"
    assert len(COMPILED.compiled) == kept
    # ...until its source changes (same size, same second: only the checksum differs).
    template.write_text("<p>{{ 'two' }}</p>", encoding="utf-8")
    assert Templates(tmp_path).env.get_template("card.html").render() == "<p>two</p>"


def test_the_cache_is_bounded(tmp_path: Path) -> None:
    for number in range(COMPILED.KEPT + 5):
        folder = tmp_path / str(number)
        folder.mkdir()
        (folder / "card.html").write_text(f"<p>{number}</p>", encoding="utf-8")
        Templates(folder).env.get_template("card.html").render()
    assert len(COMPILED.compiled) <= COMPILED.KEPT
