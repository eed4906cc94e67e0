"""Rendering reads nothing outside the templates and packaged fonts, and fetches nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import edit, run_build


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/x.css",
        "file:///etc/passwd",
        "../../x.png",
    ],
)
def test_references_outside_the_project_are_refused(
    templates_copy: Path, tmp_path: Path, url: str
) -> None:
    edit(
        templates_copy / "pocket-card.html",
        "{% block body %}",
        f'{{% block body %}}<img src="{url}" alt="">',
    )
    result = run_build(
        "--templates", templates_copy, "--out", tmp_path / "out", "--material", "pocket-card"
    )
    assert result.returncode == 1
    assert "refused to load" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_content_cannot_inject_markup(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "materials.yaml",
        "  front_title: Free help, any time",
        "  front_title: \"<img src='file:///etc/passwd'> Help\"",
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "materials.yaml:16:3" in result.stderr
    assert "looks like an HTML tag" in result.stderr
    assert not (tmp_path / "out").exists()


def test_bold_is_the_only_markup(tmp_path: Path) -> None:
    from handout.layout.html import markup

    assert str(markup("Call **now** <script>")) == "Call <strong>now</strong> &lt;script&gt;"


@pytest.mark.parametrize(
    ("href", "message"),
    [
        ("file:///etc/passwd", "refused to load file:///etc/passwd"),
        ("https://example.com/x.css", "refused to load https://example.com/x.css"),
        ("missing.css", "the stylesheet missing.css that a template links could not be read"),
    ],
)
def test_linked_stylesheets_come_from_the_templates_folder(
    templates_copy: Path, tmp_path: Path, href: str, message: str
) -> None:
    edit(
        templates_copy / "base.html",
        '<link rel="stylesheet" href="base.css">',
        f'<link rel="stylesheet" href="{href}">',
    )
    result = run_build(
        "--templates", templates_copy, "--out", tmp_path / "out", "--material", "pocket-card"
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
