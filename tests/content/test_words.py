"""Safe, right words on every page (issue 11): neutral tear-off tabs, card rows a reader
can act on, no editors' words in print, a caveat with every law, and a date line that
says how the facts were checked."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.build.plan import Translations, Variant, variants
from handout.content.characters import right_to_left
from handout.content.load import load
from handout.content.read import Content
from handout.content.words import giveaway_words
from handout.layout.compose import compose
from tests.conftest import CONTENT, TEMPLATES, edit, in_matrix, run_build
from tests.pdf import all_text, page_texts

TAB_STRIP_TOP_PT = 2.55 * 72
"""The flyer's tear-off tabs fill its bottom margin (2.55 in): text below this is on a tab."""


def quiet(_line: str) -> None:
    pass


def assert_clean_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"


def tab_texts(flyer: Path) -> list[str]:
    """The texts printed in the flyer's tear-off tab strip, read back from the PDF by
    where they stand on the page (the tabs are turned 90°, so position is what tells)."""
    found: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y < TAB_STRIP_TOP_PT:
            found.append(text.strip())

    PdfReader(flyer).pages[0].extract_text(visitor_text=visit)
    return found


def flat(text: str) -> str:
    """Text as one line: PDF line breaks and hyphenation do not count."""
    return " ".join(text.replace("-\n", "").split())


@pytest.fixture(scope="module")
def content() -> Content:
    return load(CONTENT)


@pytest.fixture(scope="module")
def translations(content: Content) -> Translations:
    return Translations(content, TEMPLATES)


# --- Done means: every variant of the shipped content -------------------------------------


def test_no_tear_off_tab_carries_a_forbidden_word(matrix: Path, content: Content) -> None:
    forbidden = content.project.forbidden_on_discreet_front
    for variant in variants(content, materials=["flyer"]):
        tabs = tab_texts(variant.path(matrix))
        region = content.regions[variant.region]
        assert len(tabs) > region.flyer.tab_count, f"{variant}: no tabs read back"
        words = forbidden[variant.language] + forbidden[content.project.source_language]
        assert giveaway_words(" ".join(tabs), words) == [], variant
        assert "Trafficking" not in " ".join(tabs)


def test_every_card_row_can_be_acted_on(
    matrix: Path, content: Content, translations: Translations
) -> None:
    """Each row of the cards and the flyer has a number, website or street address, and
    that is what its PDF prints."""
    for variant in variants(content, materials=["pocket-card", "discreet-card", "flyer"]):
        context = compose(
            content, variant.region, variant.material, translations.translator(variant.language)
        )
        rows = [*context.get("front", []), *context.get("back", []), *context.get("numbers", [])]
        printed = flat(all_text(variant.path(matrix)))
        for entry in rows:
            record = entry.resource.original
            ways = [phone.display for phone in entry.phones]
            ways += [record.website] if record.website else []
            ways += [record.address] if record.street_address else []
            assert ways, f"{variant}: the row {entry.label!r} has no way to reach it"
            assert any(way in printed for way in ways), f"{variant}: {entry.label!r} {ways}"


def test_no_printed_text_holds_an_internal_word(matrix: Path, content: Content) -> None:
    words = content.project.internal_words
    assert words, "project.yaml lists the editors' words"
    for variant in variants(content):
        if not in_matrix(variant.region, variant.material):
            continue
        text = flat(all_text(variant.path(matrix))).casefold()
        for word in words:
            assert not re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", text), (
                f"{variant} prints {word!r}"
            )


def left_to_right(chosen: list[Variant]) -> list[Variant]:
    """The variants whose sentences a PDF reader gives back in order. In an Arabic line,
    pypdf moves a left-to-right run (a date, a number) and poppler reverses the two-letter
    ligatures (لا, في): the words are there, a sentence may not read whole. What Arabic
    pages print is checked on their text in `tests/render/test_scripts.py`."""
    return [variant for variant in chosen if not right_to_left(variant.language)]


def test_every_law_the_booklet_prints_has_its_caveat(
    matrix: Path, content: Content, translations: Translations
) -> None:
    for variant in left_to_right(variants(content, materials=["booklet", "flyer"])):
        translator = translations.translator(variant.language)
        caveat = flat(translator.gettext(content.text.legal_caveat))
        text = flat(all_text(variant.path(matrix)))
        if variant.material == "flyer":
            assert caveat in text, variant
            continue
        chapters = text[: text.rindex(flat(translator.gettext(content.text.booklet.sources_title)))]
        statute = flat(translator.gettext("Connecticut General Statutes")) + " §"
        laws = chapters.count(statute)
        assert laws >= len(content.laws) - 1, f"{variant}: only {laws} laws found"
        caveats = chapters.count(caveat)
        groups = sum(  # each group of laws ends with the caveat, once
            1
            for section in content.sections
            for block in section.blocks
            if block.laws and block.shown_in(variant.region)
        )
        assert caveats == groups, f"{variant}: {groups} groups of laws, {caveats} caveats"


def test_the_date_line_does_not_claim_calls_nobody_made(
    matrix: Path, content: Content, translations: Translations
) -> None:
    for variant in left_to_right(variants(content)):
        if not in_matrix(variant.region, variant.material):
            continue
        translator = translations.translator(variant.language)
        online = translator.gettext(content.text.checked_online).split("{date}")[0].strip()
        by_phone = translator.gettext(content.text.checked_by_phone).split("{date}")[0].strip()
        text = flat(all_text(variant.path(matrix)))
        assert online in text and by_phone not in text, variant


def test_booklet_sources_are_for_readers(matrix: Path, content: Content) -> None:
    """Citations a reader can look up, the month checked; never the editors' notes."""
    booklet = flat(all_text(matrix / "danbury" / "es" / "booklet.pdf"))
    sources = booklet[booklet.rindex("Verificado en") - 3000 :]
    assert "cga.ct.gov" in sources and "humantraffickinghotline.org" in sources
    assert "Verificado en noviembre de 2026." in sources
    notes = [fact.source for fact in (*content.resources.values(), *content.laws.values())]
    for note in notes:
        if len(note.split()) > 3:  # a note, not just a site's address that is also cited
            assert note not in booklet
    assert "Fact-check" not in booklet and "Seed article" not in booklet


def test_unreachable_booklet_entries_point_to_211(
    matrix: Path, content: Content, translations: Translations
) -> None:
    """The directory opens with what to do about a place it gives no number for."""
    for language in ("en", "pt"):
        intro = translations.translator(language).gettext(content.text.booklet.directory_intro)
        booklet = flat(all_text(matrix / "danbury" / language / "booklet.pdf"))
        assert flat(intro) in booklet
    assert "dial 211 and ask for it" in content.text.booklet.directory_intro


def test_organisations_print_their_official_name(matrix: Path) -> None:
    booklet = flat(all_text(matrix / "new-milford" / "es" / "booklet.pdf"))
    assert "Connecticut Legal Services" in booklet
    # with what the name says below it, once, never in a bracket after it
    assert (
        "National Human Trafficking Hotline Línea Nacional contra la Trata de Personas" in booklet
    )
    assert "National Human Trafficking Hotline (" not in booklet


def test_portuguese_keeps_the_text_line_with_its_limit(matrix: Path) -> None:
    card = flat(page_texts(matrix / "waterbury" / "pt" / "pocket-card.pdf")[0])
    assert "233733" in card and "SMS em inglês ou espanhol." in card


def test_report_steps_name_only_numbers_the_region_prints(matrix: Path) -> None:
    danbury = flat(all_text(matrix / "danbury" / "en" / "booklet.pdf"))
    assert "non-emergency line" not in danbury and "state police" not in danbury
    assert "Dial 211 for help finding the right place to call." in danbury
    new_milford = flat(all_text(matrix / "new-milford" / "en" / "booklet.pdf"))
    assert "Call the local police on their non-emergency line." in new_milford


# --- Every mistake stops the build with its file, line and fix -----------------------------


def line_of(path: Path, text: str) -> int:
    """The line number (1-based) of the first line that holds `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_tab_label_naming_the_hotline_is_refused(content_copy: Path) -> None:
    region = content_copy / "regions" / "danbury.yaml"
    edit(
        region,
        "  tab: trafficking-hotline\n",
        "  tab:\n    resource: trafficking-hotline\n    label: Trafficking hotline\n",
    )
    result = run_build("--check", "--content", content_copy)
    line = line_of(region, "label: Trafficking hotline")
    assert_clean_failure(
        result, f"regions/danbury.yaml:{line}:", "tear-off tab label", "traffick", "neutral label"
    )


def test_tab_label_translation_is_checked_in_its_language(content_copy: Path) -> None:
    po = content_copy / "locale" / "es.po"
    edit(po, 'msgstr "Ayuda gratis y privada, {hours}"', 'msgstr "Línea contra la trata, {hours}"')
    line = po.read_text(encoding="utf-8").splitlines().index('msgid "Free, private help, {hours}"')
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, f"locale/es.po:{line + 1}:", "trata", "neutral words")


def test_card_row_with_nothing_to_dial_is_refused(content_copy: Path) -> None:
    region = content_copy / "regions" / "waterbury.yaml"
    edit(
        region,
        "  back:\n    - resource: ct-legal-services",
        "  back:\n    - resource: planned-parenthood-waterbury\n      label: Testing\n"
        "    - resource: ct-legal-services",
    )
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(
        result,
        f"regions/waterbury.yaml:{line_of(region, 'resource: planned-parenthood-waterbury')}:",
        "`planned-parenthood-waterbury` has nothing to dial, text or visit",
        "add a phone number, website or street address",
        "or choose another record",
    )


def test_internal_word_in_print_is_refused(content_copy: Path) -> None:
    edit(
        content_copy / "resources" / "local.yaml",
        "helps_with: Free meals.",
        "helps_with: Free meals (see the fact-check).",
    )
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(
        result, "resources/local.yaml:", "`fact-check` is an editors' word", "`source:`"
    )


def test_internal_word_in_a_translation_is_refused(content_copy: Path) -> None:
    edit(
        content_copy / "locale" / "pt.po",
        'msgstr "Refeições grátis."',
        'msgstr "Refeições grátis (seed article)."',
    )
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "locale/pt.po:", "`seed article`", "internal_words")


def test_block_fact_needs_its_date(content_copy: Path) -> None:
    edit(
        content_copy / "sections.yaml",
        "        checked: 2026-11-30\n        checked_how: website\n        cite: {name: Vermont",
        "        checked_how: website\n        cite: {name: Vermont",
    )
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "sections.yaml:", "needs both `source:` and `checked:`")


def test_unknown_region_in_except_in_is_refused(content_copy: Path) -> None:
    edit(content_copy / "sections.yaml", "except_in: [new-milford]", "except_in: [new-milfrod]")
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "sections.yaml:", "no region has the id `new-milfrod`")


def test_facts_all_confirmed_by_phone_say_so(content_copy: Path, tmp_path: Path) -> None:
    for path in content_copy.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"checked_how: (website|document|directory)", "checked_how: call", text)
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build(
        BuildOptions(
            content_copy,
            TEMPLATES,
            out,
            regions=("new-milford",),
            languages=("en",),
            materials=("discreet-card",),
        ),
        report=quiet,
    )
    back = flat(page_texts(out / "new-milford" / "en" / "discreet-card.pdf")[1])
    assert "Numbers confirmed by phone on November 27, 2026." in back
    assert "not by phone" not in back


def test_mark_checked_records_how(content_copy: Path) -> None:
    result = run_build(
        "mark-checked", "ct-211", "--date", "2026-11-29", "--how", "call", "--content", content_copy
    )
    assert result.returncode == 0, result.stderr
    record = (content_copy / "resources" / "connecticut.yaml").read_text(encoding="utf-8")
    assert "    checked: 2026-11-29\n    checked_how: call\n" in record
