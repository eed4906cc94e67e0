"""The booklet an outreach worker hands out (issue 20): a cover that leads with one number,
one A-Z directory the chapters point into by page, a cut-out card that names nothing and
takes nothing with it, generated cross-references, unbroken addresses, no doubled names,
and a page count that fits the paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handout.content.load import load
from handout.layout.unbreakable import unbreakable_html
from tests.conftest import CONTENT, assert_clean_failure, edit, run_build
from tests.pdf import page_texts, reader

REGIONS = ("new-milford", "danbury", "waterbury")
LANGUAGES = ("en", "es", "pt")


CUT_OUT = {"en": "Cut out and keep", "es": "Recorta y guarda", "pt": "Recorte e guarde"}


def flat(text: str) -> str:
    return " ".join(text.split())


def card_page(pages: list[str]) -> int:
    """The page (from 1) of the cut-out card: the one titled "Cut out and keep"."""
    titles = tuple(CUT_OUT.values())
    return next(n for n, text in enumerate(pages, start=1) if text.startswith(titles))


@pytest.mark.parametrize("region", REGIONS)
def test_booklets_fit_their_page_limits(matrix: Path, region: str) -> None:
    """At most 24 pages in English, and a translation at most 4 pages longer."""
    settings = load(CONTENT).project.print
    english = len(reader(matrix / region / "en" / "booklet.pdf").pages)
    assert english <= settings.booklet_max_pages == 24
    for language in ("es", "pt", "ar", "zh-Hans", "vi", "ht"):
        pages = len(reader(matrix / region / language / "booklet.pdf").pages)
        assert pages % 4 == 0
        assert pages <= english + settings.booklet_translation_extra_pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cut_out_card_backs_onto_its_own_second_face(matrix: Path, language: str) -> None:
    """Every language has the card; its page and the page behind it are one leaf that is
    neither a cover nor a page of text; the back cover keeps its numbers."""
    pages = page_texts(matrix / "new-milford" / language / "booklet.pdf")
    card = card_page(pages)
    assert card % 2 == 1, "the card's face is a right-hand page, its back the next one"
    assert card + 1 < len(pages) - 1, "the card's leaf is not the back cover's"
    behind = pages[card]  # page card + 1
    assert "233733" not in behind and "(888)" not in behind, "nothing to lose on its back"
    assert "(888) 373-7888" in flat(pages[-1]), "the back cover keeps its numbers"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cut_out_card_names_nothing_a_watcher_could_read(matrix: Path, language: str) -> None:
    content = load(CONTENT)
    forbidden = content.project.forbidden_on_discreet_front[language]
    pages = page_texts(matrix / "new-milford" / language / "booklet.pdf")
    card = card_page(pages)
    words = re.findall(r"\w+", pages[card - 1].casefold())
    assert words and not [w for w in words if any(w.startswith(s) for s in forbidden)]


def test_a_cut_out_card_that_names_the_hotline_fails_the_build(
    content_copy: Path, tmp_path: Path
) -> None:
    edit(
        content_copy / "regions" / "new-milford.yaml",
        "    - resource: trafficking-hotline\n      label: Help line\n",
        "    - resource: trafficking-hotline\n      label: Trafficking hotline\n",
    )
    result = run_build(
        "--content", content_copy, "--out", tmp_path / "out",
        "--region", "new-milford", "--lang", "en", "--material", "booklet",
    )  # fmt: skip
    assert_clean_failure(result, "its cut-out card show traffick", "discreet_card")
    assert not (tmp_path / "out").exists()


def test_the_cover_leads_with_one_number_and_sets_911_apart(matrix: Path) -> None:
    cover = flat(page_texts(matrix / "new-milford" / "en" / "booklet.pdf")[0])
    assert cover.index("(888) 373-7888") < cover.index("(888) 774-2900")
    assert "EMERGENCY" in cover and "In danger now? Call 911" in cover


def test_each_record_is_printed_in_full_once(matrix: Path) -> None:
    """Chapters list who can help with a page number; the full entry is in the directory."""
    text = flat("\n".join(page_texts(matrix / "new-milford" / "en" / "booklet.pdf")))
    assert text.count("Free information and referrals for health and human services") == 1
    assert "WHO CAN HELP" in text.upper()
    assert re.search(r"2-1-1 Call 211 page \d+", text)


def test_page_references_point_to_the_directory_entry(matrix: Path) -> None:
    """ "page N" after a helper is the page its directory entry is on."""
    pages = page_texts(matrix / "new-milford" / "en" / "booklet.pdf")
    text = flat("\n".join(pages))
    number = int(re.search(r"CIRI Call \(203\) 336-0141 page (\d+)", text).group(1))
    assert "Connecticut Institute for Refugees and Immigrants (CIRI)" in flat(pages[number - 1])


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Clearing your record"),
        ("es", "Limpiar tus antecedentes"),
        ("pt", "Como limpar sua ficha"),
    ],
)
def test_cross_references_print_the_chapter_s_own_title_and_page(
    matrix: Path, language: str, title: str
) -> None:
    """The law chapter points to the record-clearing chapter by its translated title and
    the page it starts on, never by a typed name or "the last chapter"."""
    pages = page_texts(matrix / "new-milford" / language / "booklet.pdf")
    text = flat("\n".join(pages))
    found = re.search(rf"[“«]{re.escape(title)}[”»] \(\w+ (\d+)\)", text)
    assert found, f"no reference to {title!r}"
    assert title in flat(pages[int(found.group(1)) - 1])
    assert "last chapter" not in text and "último capítulo" not in text


def test_a_reference_to_no_chapter_is_a_located_error(content_copy: Path) -> None:
    edit(content_copy / "sections.yaml", "{see:clear-record}", "{see:clear-records}")
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "sections.yaml:", "`{see:clear-records}` names no chapter")
    assert "did you mean `{see:clear-record}`?" in result.stderr


def test_a_reference_outside_the_chapters_is_refused(content_copy: Path) -> None:
    edit(
        content_copy / "resources" / "national.yaml",
        "You can report\n      without giving your name.",
        "See {see:report}.",
    )
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "national.yaml:", "only the booklet's chapters")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_name_is_doubled_and_no_bracket_nests(matrix: Path, language: str) -> None:
    text = flat("\n".join(page_texts(matrix / "new-milford" / language / "booklet.pdf")))
    assert "Emergency (police, fire, ambulance) (" not in text
    without_statutes = re.sub(r"§ [\w.-]+\(\w\)", "§", text)  # § 54-142a(e) is no name
    assert not re.search(r"\([^()]*\([^()]*\)[^()]*\)", without_statutes), "nested brackets"
    if language != "en":
        assert "Emergency (police" not in text, "a generic name is translated"
    assert "Connecticut Institute for Refugees and Immigrants (CIRI)" in text


def test_proper_names_and_addresses_never_hyphenate() -> None:
    html = (
        '<html lang="es"><head><title>Connecticut</title></head><body><p>Vive en '
        "Connecticut; visita cleanslateclearinghouse.org o 211ct.org.</p></body></html>"
    )
    out = unbreakable_html(html, ["Connecticut"], "es", "en")
    assert "<title>Connecticut</title>" in out
    assert 'en<span class="proper" lang="en"> Connecticut</span>;' in out, "space inside"
    assert '<span class="address"> cleanslateclearinghouse<wbr>.org</span>' in out
    assert '<span class="address"> 211ct.org</span>' in out, "short addresses need no break"


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_address_is_broken_by_a_hyphen(matrix: Path, region: str, language: str) -> None:
    text = "\n".join(page_texts(matrix / region / language / "booklet.pdf"))
    broken = re.findall(r"[\w.-]+-\n[\w.-]*\.(?:org|gov|com)\b", text)
    assert broken == []


def test_a_source_text_left_in_a_translated_booklet_fails_the_build(
    content_copy: Path, tmp_path: Path
) -> None:
    edit(
        content_copy / "resources" / "national.yaml",
        "cite: {name: Federal Communications Commission, website: fcc.gov}",
        'cite: {name: "911, the U.S. emergency number"}',
    )
    result = run_build(
        "--content", content_copy, "--out", tmp_path / "out",
        "--region", "danbury", "--lang", "es", "--material", "booklet",
    )  # fmt: skip
    assert_clean_failure(result, "words left in en", "emergency", "proper_names")


def test_a_booklet_over_its_page_limit_fails(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "project.yaml", "booklet_max_pages: 24", "booklet_max_pages: 20")
    result = run_build(
        "--content", content_copy, "--out", tmp_path / "out",
        "--region", "waterbury", "--lang", "en", "--material", "booklet",
    )  # fmt: skip
    assert_clean_failure(
        result,
        "24 pages, over the limit of 20. Its directory prints ",
        "raise `print.booklet_max_pages` in project.yaml to 24, or print less: take records "
        "out of the `include:` list in regions/waterbury.yaml",
    )


def test_the_safety_plan_first_says_when_not_to_fill_it_in(matrix: Path) -> None:
    pages = page_texts(matrix / "new-milford" / "en" / "booklet.pdf")
    plan = next(flat(text) for text in pages if text.startswith("My safety plan"))
    assert plan.index("Only fill this in if no one checks your things.") < plan.index(
        "A person I trust"
    )


def test_the_tab_hours_come_from_the_number_s_own_fact(content_copy: Path) -> None:
    national = content_copy / "resources" / "national.yaml"
    national.write_text(national.read_text().replace("        hours: 24/7\n", ""))
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "materials.yaml:", "`{hours}`", "trafficking-hotline")


def test_names_sharing_a_start_are_found_whole_and_longest_first() -> None:
    """The names are one trie-shaped pattern (10,000 imported names would otherwise be tried
    one by one at every position): "New Milford" before "New", any case, whole words."""
    names = ["New", "New Milford", "New Milford Hospital", "Newtown", "Danbury"]
    html = (
        "<html><body><p>new milford hospital; New Milford; New Milfordx; Newtown; "
        "Newtowner; Danbury.</p></body></html>"
    )
    out = unbreakable_html(html, names, "es", "en")
    found = re.findall(r'<span class="proper" lang="en">\s?([^<]*)</span>', out)
    assert found == ["new milford hospital", "New Milford", "New", "Newtown", "Danbury"], out


def test_a_name_that_runs_from_one_page_onto_the_next_is_still_a_name() -> None:
    """Waterbury's Vietnamese large-print booklet: a source's name, "U.S. Department of
    Justice, Office for Victims of Crime", began at the foot of page 32 and ended at the
    top of page 33; read page by page, neither half was a name, and the build failed."""
    from handout.build.variant_checks import Vocabulary, left_in_source_language
    from handout.render.rendered import Rendered

    name = "U.S. Department of Justice, Office for Victims of Crime"
    pages = [
        "Nguồn: National Human Trafficking Hotline; U.S. Department of Justice, Office for\n32",
        "33\nVictims of Crime, ovcttac.gov. Kiểm tra tháng 11 năm 2026.",
    ]
    rendered = Rendered(b"", [], {}, pages, page_words=pages)
    vocabulary = Vocabulary(frozenset({"office", "victims", "crime", "department"}))
    names = [name, "National Human Trafficking Hotline"]
    assert left_in_source_language(rendered, vocabulary, names) == []
    # Not a name: still found, on its page, with its line.
    other = ["Kiểm tra.\n32", "33\nCrime victims can call."]
    left = Rendered(b"", [], {}, other, page_words=other)
    found = left_in_source_language(left, vocabulary, names)
    assert [(item.page, item.words) for item in found] == [(2, ["crime", "victims"])]
