"""The registry of scripts (fonts and direction per language) and the isolation of what
must read left to right in right-to-left text. No rendering: fast."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from handout.layout import fonts
from handout.layout.scripts import script, writing
from handout.layout.typography import isolated_latin_text, isolated_ltr


def test_each_language_gets_its_scripts_fonts_and_direction() -> None:
    assert script("ar") == "Arab" and script("zh-Hans") == "Hans" and script("vi") == "Latn"
    assert writing("ar").direction == "rtl"
    assert writing("ar").families[0] == fonts.PLEX_ARABIC_FAMILY
    assert writing("zh-Hans").families[0] == fonts.NOTO_CJK and writing("zh-Hans").needs_cjk
    assert writing("zh-Hans").direction == "ltr"
    # Atkinson Hyperlegible lacks most Vietnamese letters: Noto Sans alone.
    assert writing("vi").families == (fonts.NOTO,)
    for latin in ("en", "es", "pt_BR", "ht", "xx-unknown"):
        assert writing(latin).families == (fonts.ATKINSON, fonts.NOTO)
        assert writing(latin).direction == "ltr"
    assert writing("ar").font_family == '"IBM Plex Sans Arabic", "Noto Sans"'


def test_numbers_addresses_keywords_and_names_are_isolated_left_to_right() -> None:
    html = (
        '<p>اتصل<a class="number" href="tel:+18883737888"> (888) 373-7888</a> '
        '<b class="keyword">HELP</b> <span class="address">ctcadv.org</span> '
        '<span class="proper" lang="en">New Milford</span></p>'
    )
    isolated = isolated_ltr(html)
    # the space an element starts with stays outside the isolate, between the words
    assert '<a class="number" href="tel:+18883737888"> <bdi dir="ltr">(888) 373-7888</bdi></a>' in (
        isolated
    )
    assert '<b class="keyword"><bdi dir="ltr">HELP</bdi></b>' in isolated
    assert '<span class="address"><bdi dir="ltr">ctcadv.org</bdi></span>' in isolated
    assert '<span class="proper" lang="en"><bdi dir="ltr">New Milford</bdi></span>' in isolated
    assert isolated_ltr("<p>نص</p>") == "<p>نص</p>"


def test_latin_only_text_in_a_right_to_left_document_is_isolated_whole() -> None:
    """An English text printed because its translation is missing reads left to right,
    even across inline elements; Arabic text and what is isolated already are left alone."""
    page = (
        '<html><head><title>Help</title></head><body><h1>Free help, <span class="n">any '
        "time</span></h1><p>اتصل <b>CT Safe</b></p><svg><title>Scan</title></svg>"
        '<p>اتصل <a class="number"><bdi dir="ltr">911</bdi></a></p></body></html>'
    )
    assert isolated_latin_text(page) == (
        '<html><head><title>Help</title></head><body><h1><bdi dir="ltr">Free help, <span '
        'class="n">any time</span></bdi></h1><p>اتصل <b><bdi dir="ltr">CT Safe</bdi></b></p>'
        '<svg><title>Scan</title></svg><p>اتصل <a class="number"><bdi dir="ltr">911</bdi>'
        "</a></p></body></html>"
    )
    # Inside Arabic text: each Latin term, a statute number with its letter, not the
    # punctuation after it, nor a year.
    mixed = (
        "<html><body><p>لولاية كونيتيكت § 54-1b و (“nolo contendere”) 2026 و HIV.</p></body></html>"
    )
    assert isolated_latin_text(mixed) == (
        '<html><body><p>لولاية كونيتيكت § <bdi dir="ltr">54-1b</bdi> و (“<bdi dir="ltr">nolo '
        'contendere</bdi>”) 2026 و <bdi dir="ltr">HIV</bdi>.</p></body></html>'
    )


def test_the_simplified_chinese_face_is_copied_out_the_same_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fonts.cjk_available():
        pytest.skip(f"needs Debian's {fonts.CJK_PACKAGE}")
    copies = []
    for name in ("one", "two"):
        monkeypatch.setattr(fonts, "CACHE", tmp_path / name)
        (face, _bold) = fonts.cjk_faces()
        copies.append(hashlib.sha256(face.path.read_bytes()).hexdigest())
        assert face.path.is_relative_to(tmp_path / name)
    assert copies[0] == copies[1]


def test_a_translation_is_checked_against_its_own_languages_fonts() -> None:
    from handout.layout.glyphs import everywhere_codepoints, language_codepoints

    arabic, spanish, vietnamese = (language_codepoints(code) for code in ("ar", "es", "vi"))
    assert arabic and spanish and vietnamese
    assert ord("ع") in arabic and ord("ع") not in spanish
    assert ord("ặ") in vietnamese
    # what a record's name may use: characters every language can print
    everywhere = everywhere_codepoints(["en", "ar", "vi"])
    assert ord("é") in everywhere and ord("ع") not in everywhere
    if fonts.cjk_available():
        chinese = language_codepoints("zh-Hans")
        assert chinese and ord("帮") in chinese and ord("帮") not in spanish
