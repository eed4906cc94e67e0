"""Reading copies are tagged PDFs (PDF/UA-1): structure, language, title, headings in order,
lists and links; text colours meet WCAG AA contrast."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from handout.layout.contrast import contrast_problems, ratio
from handout.layout.materials import MATERIALS
from tests.conftest import LARGE_PRINT_REGIONS, TEMPLATES, edit, in_matrix
from tests.pdf import reader, structure


@pytest.mark.parametrize("material", MATERIALS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_reading_copies_are_tagged(matrix: Path, material: str, language: str) -> None:
    region = "waterbury" if in_matrix("waterbury", material) else LARGE_PRINT_REGIONS[0]
    path = matrix / region / language / f"{material}.pdf"
    catalog = reader(path).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == language
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader(path).metadata.title
    tags = structure(path)
    headings = [int(tag[2]) for tag in tags if tag in {f"/H{n}" for n in range(1, 7)}]
    assert headings and headings[0] == 1
    for before, after in itertools.pairwise(headings):
        assert after <= before + 1, f"heading level jumps from {before} to {after}"
    assert "/Link" in tags
    if MATERIALS[material].kind == "booklet":
        assert {"/L", "/LI", "/LBody"} <= set(tags)


def test_contrast_ratio_matches_wcag() -> None:
    assert round(ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(ratio("#777777", "#ffffff"), 2) == 4.48


def test_shipped_templates_meet_contrast() -> None:
    assert contrast_problems(TEMPLATES) == []


def test_low_contrast_text_colour_is_reported(templates_copy: Path) -> None:
    edit(templates_copy / "base.css", ".checked { color: #333; }", ".checked { color: #aaa; }")
    problems = contrast_problems(templates_copy)
    assert any("#aaa" in str(problem) and "4.5" in str(problem) for problem in problems)
