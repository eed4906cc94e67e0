"""The three default materials, rendered for real and read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.layout.fonts import FAMILIES
from handout.layout.materials import MATERIALS
from tests.conftest import CONTENT, TEMPLATES, edit
from tests.pdf import all_text, fonts, links, page_sizes_in, page_texts, reader

SIZES_IN = {
    "pocket-card": (3.5, 2.0),
    "discreet-card": (3.5, 2.0),
    "flyer": (8.5, 11.0),
    "booklet": (5.5, 8.5),
    "large-print-booklet": (8.5, 11.0),
    "large-print-flyer": (8.5, 11.0),
}


@pytest.mark.parametrize("material", MATERIALS)
def test_every_page_has_the_material_size(built: dict[str, Path], material: str) -> None:
    sizes = page_sizes_in(built[material])
    assert sizes, "no pages"
    assert set(sizes) == {SIZES_IN[material]}


def test_pocket_card_has_front_and_back(built: dict[str, Path]) -> None:
    assert len(reader(built["pocket-card"]).pages) == 2


def test_flyer_is_one_page(built: dict[str, Path]) -> None:
    assert len(reader(built["flyer"]).pages) == 1


def test_booklet_pages_are_a_multiple_of_four(built: dict[str, Path]) -> None:
    pages = len(reader(built["booklet"]).pages)
    assert pages % 4 == 0
    assert pages >= 16


PADDING_TITLES = ("Numbers I need", "Notes")


@pytest.mark.parametrize("region", ["new-milford", "danbury", "waterbury"])
def test_booklet_ends_with_its_fill_in_pages_and_the_back_cover(matrix: Path, region: str) -> None:
    """The pages that bring the booklet to a multiple of 4 are pages for the reader's own
    numbers and notes; then, always, the cut-out card, its second face, the safety plan
    and the back cover (issue 20). None of them carries a page number."""
    texts = page_texts(matrix / region / "en" / "booklet.pdf")
    last = len(texts)
    assert texts[last - 4].startswith("Cut out and keep")
    assert "(888) 373-7888" in texts[last - 4]  # the card carries the numbers
    assert "My numbers" in texts[last - 3]
    assert texts[last - 2].startswith("My safety plan")
    padding = [
        n for n, text in enumerate(texts[: last - 4], start=1) if text.startswith(PADDING_TITLES)
    ]
    assert padding == list(range(last - 3 - len(padding), last - 3))
    for number in [*padding, last - 3, last - 2, last - 1]:
        assert texts[number - 1].split()[-1] != str(number), f"page {number} is numbered"
    back_cover = " ".join(texts[-1].split())
    assert "This guide is free" in back_cover
    for number in ["(888) 373-7888", "(888) 774-2900", "911", "Facts checked"]:
        assert number in back_cover


def test_booklet_template_without_marked_padding_pages_is_padded_too(
    matrix: Path, templates_copy: Path, tmp_path: Path
) -> None:
    """Spare padding pages are found by their `padding-N` ids; a template without them
    gets a second layout with the exact padding, and the same pages."""
    edit(templates_copy / "booklet.html", ' id="padding-{{ loop.index }}"', "")
    out = tmp_path / "out"
    build(
        BuildOptions(
            CONTENT,
            templates_copy,
            out,
            regions=("danbury",),
            languages=("en",),
            materials=("booklet",),
        ),
        report=lambda _line: None,
    )
    booklet = "danbury/en/booklet.pdf"
    assert page_texts(out / booklet) == page_texts(matrix / booklet)


def test_pocket_card_front_has_the_numbers_that_matter_most(built: dict[str, Path]) -> None:
    front = " ".join(page_texts(built["pocket-card"])[0].split())
    for number in ["911", "(888) 774-2900", "(888) 373-7888", "233733", "211"]:
        assert number in front
    assert "Text HELP to 233733" in front
    assert "Call or text (888) 774-2900" in front


def test_pocket_card_back_has_local_help_and_check_date(built: dict[str, Path]) -> None:
    back = " ".join(page_texts(built["pocket-card"])[1].split())
    assert "Help near New Milford" in back
    for number in ["(800) 453-3320", "211, press 3, then 1"]:
        assert number in back
    assert "(860) 355-3133" not in back, "no police line on what a reader carries (issue 22)"
    assert "Facts checked online and in documents on November 27, 2026, not by phone." in back


def test_flyer_has_blocks_key_numbers_and_tear_off_tabs(built: dict[str, Path]) -> None:
    text = all_text(built["flyer"])
    for title in ["You are not alone", "Free, private help", "How to report"]:
        assert title in text
    for number in ["911", "(888) 373-7888", "(888) 774-2900", "(860) 355-3133"]:
        assert number in text
    # one in the key numbers, one on each of the 10 tabs
    assert text.count("(888) 373-7888") == 11
    assert text.count("233733") == 11


def test_booklet_prints_every_number_of_the_region(built: dict[str, Path]) -> None:
    text = all_text(built["booklet"])
    for number in [
        "911",
        "(888) 373-7888",
        "233733",
        "(888) 774-2900",
        "(800) 203-1234",
        "(800) 563-4086",
        "(203) 336-0141",
        "(860) 355-3133",
        "(860) 626-7900",
        "(860) 355-6079",
        "(800) 453-3320",
    ]:
        assert number in text, number


def test_booklet_covers_every_subject_with_a_directory_and_sources(built: dict[str, Path]) -> None:
    text = all_text(built["booklet"])
    for title in [
        "The law in Connecticut",
        "Your health and safety",
        "Testing and health care",
        "Support near you",
        "Help for trafficking survivors",
        "Signs someone may be trafficked",
        "How to report",
        "Ways out",
        "Clearing your record",
        "Where to get help",
        "Where our facts come from",
    ]:
        assert title in text, title
    assert "portal.ct.gov" in text
    assert "Checked November 2026." in text


def test_booklet_contents_lists_the_right_pages(built: dict[str, Path]) -> None:
    pages = page_texts(built["booklet"])
    contents = pages[1]
    entries = re.findall(r"^(.+?)[ .]*?(\d+)\s*$", contents, flags=re.MULTILINE)
    entries = [(title.rstrip(" ."), int(page)) for title, page in entries]
    assert len(entries) == 12, entries
    for title, page in entries:
        # chapters run on (issue 12): the title is on its page, not always at the top
        assert title in " ".join(pages[page - 1].split()), (title, page)


def test_booklet_law_follows_the_fact_check(built: dict[str, Path]) -> None:
    text = all_text(built["booklet"])
    for right in ["§ 53a-82", "Soliciting sexual acts", "§ 53a-83b", "§ 53a-192a", "§ 54-95c"]:
        assert right in text, right
    for wrong in [
        "54-95v",
        "53a-82a",
        "loitering",
        "school zone",
        "near schools",
        "felony for a second",
    ]:
        assert wrong.lower() not in text.lower(), wrong


def test_every_font_is_embedded_and_shipped_with_the_project(built: dict[str, Path]) -> None:
    shipped = tuple(family.replace(" ", "") for family in FAMILIES) + tuple(
        family.replace(" ", "-") for family in FAMILIES
    )
    for material, path in built.items():
        used = fonts(path)
        assert used, material
        for name, embedded in used.items():
            assert embedded, f"{material}: {name} is not embedded"
            assert name.startswith(shipped), f"{material}: {name} is a system font"


def test_numbers_are_tel_and_sms_links(built: dict[str, Path]) -> None:
    card = links(built["pocket-card"])
    assert {"tel:911", "tel:+18887742900", "tel:+18883737888", "sms:233733"} <= card
    assert "tel:+18604530000" not in card


def test_pdf_has_title_and_language(built: dict[str, Path]) -> None:
    for material, path in built.items():
        pdf = reader(path)
        assert pdf.trailer["/Root"]["/Lang"] == "en"
        if material == "discreet-card":
            assert pdf.metadata.title == "Appointment reminder"  # says nothing more, on purpose
        else:
            assert "New Milford" in pdf.metadata.title


def test_unverified_facts_are_marked_in_the_booklet(built: dict[str, Path]) -> None:
    text = " ".join(all_text(built["booklet"]).split())  # the directory's columns are narrow
    assert "We could not confirm the facts marked with a star" in text
    assert "Community Health Center, Inc. (CHCI), Danbury * check first" in text
    assert "* Not confirmed. A Danbury site could not be confirmed." in text


def test_a_card_showing_an_unverified_fact_marks_it(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "resources" / "connecticut.yaml",
        "    confidential: true\n",
        "    confidential: true\n    verified: false\n    unverified_note: test\n",
    )
    out = tmp_path / "out"
    build(
        BuildOptions(content_copy, TEMPLATES, out, materials=("pocket-card",)),
        report=lambda _line: None,
    )
    front, back = page_texts(out / "new-milford" / "en" / "pocket-card.pdf")
    assert "CT Safe Connect * check first" in " ".join(front.split())
    assert "We could not confirm the facts marked with a star" in " ".join(back.split())


def test_default_card_has_no_unverified_note(built: dict[str, Path]) -> None:
    assert "could not confirm" not in all_text(built["pocket-card"])


def test_minimum_type_size_on_the_card() -> None:
    """Every size on the card is at least 8 pt, also when auto-fit shrinks it (the CSS
    floors each scaled size with max(8pt, ...)), and the primary number is the largest text,
    never below 14 pt."""
    css = (TEMPLATES / "pocket-card.css").read_text() + (TEMPLATES / "base.css").read_text()
    plain = [float(size) for size in re.findall(r"font-size:\s*([\d.]+)pt", css)]
    floors = [float(size) for size in re.findall(r"font-size:\s*max\(([\d.]+)pt", css)]
    designed = [float(size) for size in re.findall(r"calc\(([\d.]+)pt \* var", css)]
    assert floors and designed
    assert min(plain + floors) >= 8
    primary = re.search(
        r"\.primary \.first \.number \{ font-size: max\(([\d.]+)pt, calc\(([\d.]+)pt", css
    )
    assert float(primary[1]) >= 14
    assert float(primary[2]) == max(plain + designed)
