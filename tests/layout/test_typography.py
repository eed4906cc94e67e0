"""Straight quotes and apostrophes print as the reader's language writes them (CLDR's
quotation marks), in every text of a PDF, and never inside addresses, links or markup."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handout.content.load import load
from handout.editor.translations import _squeezed, page_of
from handout.layout.glyphs import missing_glyphs
from handout.layout.typography import delimiters, straight, typographic, typographic_html
from handout.render.checks import missing_texts
from tests.conftest import TEMPLATES, assert_clean_failure, edit, pdfs, run_build
from tests.pdf import all_text, links

# --- The conversion ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ('"Help," she said.', "“Help,” she said."),
        ("Don't wait", "Don’t wait"),
        ("Women's Center", "Women’s Center"),
        ("the girls' rights", "the girls’ rights"),
        ("rock 'n' roll", "rock ’n’ roll"),
        ("since the '90s", "since the ’90s"),
        ("'Til tomorrow", "’Til tomorrow"),
        ("\"He said 'no' twice\"", "“He said ‘no’ twice”"),
        ("'Go,' she said", "‘Go,’ she said"),
        ("\"'Nested' at the start\"", "“‘Nested’ at the start”"),
        ('ends with "a quote"', "ends with “a quote”"),
        ('cancel ("vacate") it', "cancel (“vacate”) it"),
        ('[ "a" ] {"b"}', "[ “a” ] {“b”}"),
        ('help—"now"', "help—“now”"),
        ('help - "now"', "help - “now”"),
        ('¿"Qué"?', "¿“Qué”?"),
        ('"first"\n"second"', "“first”\n“second”"),
        ("'open\nnot closed'", "’open\nnot closed’"),
        ("“Already” typographic, it’s kept", "“Already” typographic, it’s kept"),
        ('“Mixed” and "straight"', "“Mixed” and “straight”"),
        ("«Guillemets» stay", "«Guillemets» stay"),
        ("no quotes at all", "no quotes at all"),
        ("", ""),
    ],
)
def test_english_quotes(typed: str, printed: str) -> None:
    assert typographic(typed, "en") == printed


@pytest.mark.parametrize(
    ("language", "printed"),
    [
        ("en", "“Yes,” it’s ‘fine’"),
        ("es", "“Yes,” it’s ‘fine’"),
        ("pt", "“Yes,” it’s ‘fine’"),
        ("pt-PT", "«Yes,» it’s “fine”"),
        ("fr", "«Yes,» it’s «fine»"),
        ("de", "„Yes,“ it’s ‚fine‘"),
        ("ru", "«Yes,» it’s „fine“"),
        ("xx", "“Yes,” it’s ‘fine’"),  # unknown: CLDR's root marks
    ],
)
def test_each_language_gets_its_cldr_marks(language: str, printed: str) -> None:
    assert typographic("\"Yes,\" it's 'fine'", language) == printed


def test_marks_are_looked_up_once_per_language() -> None:
    delimiters.cache_clear()
    for _ in range(3):
        typographic('"x"', "es")
    assert delimiters.cache_info().misses == 1


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org/it's-here",
        "http://example.org/?q='x'&y=1",
        "o'brien@example.org",
        "example.org/o'brien",
        "203-555-0100",
        "+1 (203) 555-0100",
    ],
)
def test_addresses_keep_their_quotes(address: str) -> None:
    assert typographic(f'Write to "{address}" today', "en") == f"Write to “{address}” today"
    assert typographic(f"See {address}.", "en") == f"See {address}."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1 .,(-\n\"'“’«/@:"), max_size=40))
def test_conversion_keeps_length_and_is_stable(text: str) -> None:
    once = typographic(text, "en")
    assert len(once) == len(text)
    assert typographic(once, "en") == once
    assert straight(once) == straight(text)


# --- Whole documents --------------------------------------------------------------------------


def test_html_text_changes_and_markup_does_not() -> None:
    document = (
        '<html lang="en"><head><title>&#34;Help&#34; it&#39;s</title>'
        '<meta name="description" content="it&#39;s &#34;free&#34;">'
        "<style>p::after { content: \"'\"; font-family: 'Sans' }</style></head><body>"
        '<p class="it\'s" id=\'a"b\' style="font-family: \'Sans\'" data-x="\'">'
        "&#34;<strong>Bold</strong>,&#34; she&#39;s <a href=\"#s-'x'\">&#34;Sec&#34;</a></p>"
        "<p>&#34;Next&#34; <a href=\"https://example.org/it's\">example.org/it's</a> "
        "<a href=\"mailto:o'brien@example.org\">o'brien@example.org</a></p>"
        '<img alt="it&#39;s" src="x.png"><span title="&#34;t&#34;">x</span>'
        "<!-- a comment's quote --></body></html>"
    )
    assert typographic_html(document) == (
        '<html lang="en"><head><title>“Help” it’s</title>'
        '<meta name="description" content="it’s “free”">'
        "<style>p::after { content: \"'\"; font-family: 'Sans' }</style></head><body>"
        '<p class="it\'s" id=\'a"b\' style="font-family: \'Sans\'" data-x="\'">'
        "“<strong>Bold</strong>,” she’s <a href=\"#s-'x'\">“Sec”</a></p>"
        "<p>“Next” <a href=\"https://example.org/it's\">example.org/it's</a> "
        "<a href=\"mailto:o'brien@example.org\">o'brien@example.org</a></p>"
        '<img alt="it’s" src="x.png"><span title="“t”">x</span>'
        "<!-- a comment's quote --></body></html>"
    )


def test_html_language_comes_from_the_document_unless_given() -> None:
    assert typographic_html('<html lang="fr"><p>&#34;Oui&#34;</p></html>') == (
        '<html lang="fr"><p>«Oui»</p></html>'
    )
    assert typographic_html('<html lang="fr"><p>"Ja"</p></html>', "de") == (
        '<html lang="fr"><p>„Ja“</p></html>'
    )


def test_a_paragraph_ends_at_a_block_and_not_at_an_inline_element() -> None:
    assert typographic_html("<p>Stop.</p><p>&#34;Go&#34;</p><p><b>x</b>&#34;y&#34;</p>") == (
        "<p>Stop.</p><p>“Go”</p><p><b>x</b>”y”</p>"
    )


def test_a_quote_around_a_link_pairs_across_it() -> None:
    assert typographic_html('<p>Call &#34;<a href="tel:+12035550100">203</a>&#34;.</p>') == (
        '<p>Call “<a href="tel:+12035550100">203</a>”.</p>'
    )


def test_a_document_without_quotes_is_returned_byte_for_byte() -> None:
    document = '<html lang="en"><p class="x">Free &amp; private&#8239;help</p></html>'
    assert typographic_html(document) == document


# --- The checks compare texts as typed with texts as printed ---------------------------------


def test_missing_text_check_reads_through_quotes() -> None:
    rendered = SimpleNamespace(
        page_texts=["Ask to cancel (“vacate”) it. Don’t wait."], margin_text=""
    )
    assert missing_texts(rendered, ['Ask to cancel ("vacate") it.', "Don't wait."]) == []  # type: ignore[arg-type]
    assert missing_texts(rendered, ["Not there"]) == ["Not there"]  # type: ignore[arg-type]


def test_the_editor_finds_a_text_on_its_page_whatever_its_quotes() -> None:
    pages = [_squeezed("Cover"), _squeezed("It is called «vacating». Don’t wait.")]
    assert page_of(pages, 'It is called "vacating". Don\'t wait.') == 2


def test_a_language_whose_quotation_marks_no_font_has_is_reported(content_copy: Path) -> None:
    project = content_copy / "project.yaml"
    edit(
        project,
        "  - code: pt\n",
        "  - code: ja\n    name: Japanese\n    reviewed: false\n  - code: pt\n",
    )
    problems = missing_glyphs(load(content_copy), TEMPLATES, {})
    assert [p.message.split(" uses ")[0] for p in problems] == [
        "language ja (its quotation marks)"
    ] * 4
    assert "U+300C, LEFT CORNER BRACKET" in problems[0].message


# --- Real PDFs ---------------------------------------------------------------------------------

FRONT_FOR = "For anyone who sells or trades sex, is forced to, or wants out. No judgment."
QUOTED_FOR = (
    'For anyone who sells or trades sex, is forced to, or wants out. "No judgment," we\'re here.'
)
TRANSLATED_FOR = {
    "es": 'Si vendes o intercambias sexo, te obligan o quieres dejarlo. "Nadie te juzga."',
    "pt": 'Para quem vende ou troca sexo, é forçado(a) ou quer sair. "Sem julgamento."',
}


def _retranslate(content: Path, language: str, english: str, translation: str) -> None:
    """Give the pocket card's front text a new English and its translation, as a translator
    typing straight quotes in a PO editor would."""
    po = content / "locale" / f"{language}.po"
    text = po.read_text(encoding="utf-8")
    start = text.index(f'msgid "{FRONT_FOR}"')
    end = text.index("\n", text.index("msgstr", start))
    escaped = english.replace('"', '\\"'), translation.replace('"', '\\"')
    entry = f'msgid "{escaped[0]}"\nmsgstr "{escaped[1]}"'
    po.write_text(text[:start] + entry + text[end:], encoding="utf-8")


def test_pocket_cards_print_each_language_s_quotes(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "materials.yaml", f"  front_for: {FRONT_FOR}", f"  front_for: {QUOTED_FOR}")
    for language, translation in TRANSLATED_FOR.items():
        _retranslate(content_copy, language, QUOTED_FOR, translation)
    out = tmp_path / "out"
    result = run_build(
        "--content", content_copy, "--out", out, "--region", "new-milford",
        "--material", "pocket-card", "--jobs", "1", "--strict", "--lang", "en", "es", "pt",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    printed = {
        lang: all_text(out / "new-milford" / lang / "pocket-card.pdf")
        for lang in ("en", "es", "pt")
    }
    assert "“No judgment,” we’re here." in " ".join(printed["en"].split())
    for language in ("es", "pt"):
        marks = delimiters(language)
        quoted = {"es": "Nadie te juzga.", "pt": "Sem julgamento."}[language]
        assert f"{marks.open}{quoted}{marks.close}" in " ".join(printed[language].split())
    for language, text in printed.items():
        assert '"' not in text and "'" not in text, language
    # Links (tel:, sms:, https:) are attributes: never changed
    uris = links(out / "new-milford" / "en" / "pocket-card.pdf")
    assert uris and all(uri.isascii() for uri in uris)
    assert any(uri.startswith("tel:+1") for uri in uris)


def test_addresses_in_a_text_print_as_typed(content_copy: Path, tmp_path: Path) -> None:
    sections = content_copy / "sections.yaml"
    edit(content_copy / "project.yaml", "booklet_max_pages: 24", "booklet_max_pages: 28")
    old = "clear your record. See {see:clear-record}."
    edit(
        sections,
        old,
        old + " Or write to o'brien@example.org (see example.org/it's-free).",
    )
    out = tmp_path / "out"
    result = run_build(
        "--content", content_copy, "--out", out, "--region", "new-milford", "--lang", "en",
        "--material", "booklet", "--jobs", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = " ".join(all_text(out / "new-milford" / "en" / "booklet.pdf").split())
    assert re.search(r"See “Clearing your record” \(page \d+\)\.", text)
    assert "o'brien@example.org (see example.org/it's-free)." in text


@pytest.mark.parametrize(
    "front", ['Free and private. No "Police".', "Free and private. No po'lice."]
)
def test_a_forbidden_word_in_quotes_on_the_discreet_front_stops_the_build(
    content_copy: Path, tmp_path: Path, front: str
) -> None:
    edit(
        content_copy / "materials.yaml",
        "  front_text: Please call 24 hours ahead to change.",
        f"  front_text: {front}",
    )
    result = run_build(
        "--content", content_copy, "--out", tmp_path / "out", "--region", "danbury",
        "--lang", "en", "--material", "discreet-card", "--jobs", "1",
    )  # fmt: skip
    assert_clean_failure(result, "its front shows police")
    assert pdfs(tmp_path / "out") == []
