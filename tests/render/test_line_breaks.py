"""No line of one word in the middle of a paragraph because of markup (walk-through finding:
"You are the victim of a crime. You / can / get help" on page 4 of every English booklet).

WeasyPrint breaks a line too early when its best break is just before an inline element
(a link that starts with a quote, a span after a space): the build now finds such lines on
the laid-out pages (`handout.render.lines`) and the markup keeps the space inside the
element. The paragraphs below are laid out at many widths, so some width always puts the
element at a line's end."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from handout.layout.html import Templates, details_line
from handout.layout.materials import MATERIALS
from handout.layout.unbreakable import unbreakable_html
from handout.render.checks import page_print_problems
from handout.render.lines import early_breaks
from handout.render.rendered import PageMeasure
from handout.render.renderer import Renderer
from tests.conftest import TEMPLATES
from tests.pdf import page_texts

CALLOUT = (
    "You are the victim of a crime. You can get help, and you may be able to clear your "
    "record. See {see:clear-record}."
)
OLD_REFERENCE = (
    "You are the victim of a crime. You can get help, and you may be able to clear your "
    'record. See <a class="see" href="#c">“Clearing your record”</a> (page 13).'
)
DETAILS = (
    "<b>Formerly:</b> Connecticut Women’s Education and Legal Fund (CWEALF) · \n"
    '    <span class="source-line">Source: She Leads Justice. Checked November 2026.</span>'
)


@functools.cache
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


def one_word_lines(paragraph: str) -> list[str]:
    """Lay `paragraph` out at widths from 120 to 330 pt (bold 11 pt, the booklet's callout)
    and return the lines of one word the build would refuse."""
    widths = "".join(f'<p style="width: {w}pt">{paragraph}</p>' for w in range(120, 330, 2))
    html = (
        '<html lang="en"><head><title>t</title><style>@page { size: 8.5in 60in; margin: 0.5in }'
        " body { font-family: 'Atkinson Hyperlegible'; font-size: 11pt; font-weight: 700 }"
        f'</style></head><body><p id="c">Clearing your record</p>{widths}</body></html>'
    )
    document = renderer().layout(html, "test")
    return [line for page in document.pages for line in early_breaks(page._page_box)]


def test_a_reference_that_starts_with_a_quote_left_a_word_alone_and_no_longer_does() -> None:
    assert one_word_lines(OLD_REFERENCE), "the check must find the finding's markup"
    template = Templates(TEMPLATES).env.from_string("{{ text | prose }}")
    printed = template.render(
        text=CALLOUT,
        chapters={"clear-record": ("Clearing your record", "c")},
        _=lambda text: text,
    )
    assert '"<a class="see" href="#c">Clearing your record</a>"' in printed
    curly = printed.replace('"<a class="see"', '“<a class="see"').replace('</a>" (', "</a>” (")
    assert one_word_lines(curly) == []


def test_a_source_line_after_a_separator_no_longer_leaves_a_word_alone() -> None:
    assert one_word_lines(DETAILS), "the check must find the finding's markup"
    assert one_word_lines(details_line(DETAILS)) == []


def test_a_name_after_a_space_no_longer_leaves_a_word_alone() -> None:
    gloss = "Departamento de Saúde Pública de Connecticut, programas de HIV e ISTs"
    wrapped = unbreakable_html(f"<p>{gloss}</p>", ["Connecticut"], "pt", "en")
    assert 'de<span class="proper" lang="en"> Connecticut</span>,' in wrapped
    assert one_word_lines(wrapped[3:-4]) == []


def test_a_line_ended_on_purpose_or_by_an_unbreakable_number_is_no_finding() -> None:
    assert one_word_lines("Alpha<br>beta gamma delta epsilon zeta eta theta iota kappa") == []
    kept = '<span style="white-space: nowrap">Call (888) 373-7888 or (888) 774-2900 now</span>'
    assert one_word_lines(f"Hotline {kept} today") == []


def test_the_build_names_the_word_the_paragraph_and_the_fix() -> None:
    measure = PageMeasure(early_breaks=["'can' (in 'You are the victim of a crime')"])
    found = page_print_problems(MATERIALS["booklet"], measure, 4)
    (problem,) = [problem for problem in found if "one word" in problem]
    assert "a line holds one word though the next word fits beside it: 'can'" in problem
    assert "You are the victim" in problem and "templates/booklet.css" in problem


def test_the_law_chapter_callout_reads_on_without_a_lonely_word(matrix: Path) -> None:
    """Read back from the built PDF: no line of the callout is one word."""
    pages = page_texts(matrix / "new-milford" / "en" / "booklet.pdf")
    page = next(text for text in pages if "You are the victim of a crime" in text)
    lines = [line.strip() for line in page.splitlines()]
    start = next(n for n, line in enumerate(lines) if line.startswith("If someone forced"))
    callout = lines[start : start + 4]
    assert all(len(line.split()) > 1 for line in callout), callout
    assert re.search(r"You\s+can get help", " ".join(lines[start : start + 5]))


@pytest.mark.parametrize("region", ["new-milford", "danbury", "waterbury"])
def test_every_booklet_built_so_no_line_of_one_word_was_found(matrix: Path, region: str) -> None:
    """The build refuses a page with such a line, so every booklet of the matrix is proof."""
    for language in ("en", "es", "pt"):
        assert (matrix / region / language / "booklet.pdf").is_file()
