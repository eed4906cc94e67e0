"""The discreet card's front and the flyer's tear-off tabs must not give their reader away:
the word check reads them word by word as laid out, and cannot be fooled by invisible
characters, compatibility forms or look-alike letters from other scripts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handout.render.checks import forbidden_words
from tests.conftest import assert_clean_failure, edit, pdfs, run_build

EN = ["traffick", "prostitut", "sex", "abuse", "police", "violence", "john"]


@pytest.mark.parametrize(
    "printed",
    [
        "Helpful numbers\nPolice and other help.",  # a text starting right after another
        "Helpful numbers Police",
        "Po\u00adlice",  # soft hyphen inside the word
        "Po\u200blice",  # zero-width space
        "Po\u2060li\ufeffce",  # word joiner, zero-width no-break space
        "P\u043elice",  # Cyrillic o
        "\u0440olice",  # Cyrillic er looking like p
        "ＰＯＬＩＣＥ",  # full-width letters (NFKC)
        "𝐏𝐨𝐥𝐢𝐜𝐞",  # mathematical bold letters (NFKC)
        "PoIice",  # capital I for a small l
        "Po\u00ad\u2010\nlice",  # hyphenated at a line break
        "Po\u200b\nlice",  # broken at a zero-width space
        "Pol\u0456ce",  # Cyrillic i
        "no-police zone",
    ],
)
def test_disguised_forbidden_words_are_found(printed: str) -> None:
    assert forbidden_words(printed, EN) == ["police"]


@pytest.mark.parametrize(
    "printed",
    ["Helpful numbers\nFree and private, day and night.", "Essex County", "Johnny"[1:], ""],
)
def test_innocent_texts_pass(printed: str) -> None:
    assert forbidden_words(printed, EN) == []


def test_accented_stems_match_their_own_letters() -> None:
    assert forbidden_words("Llame a la Policía", ["policía"]) == ["policía"]
    assert forbidden_words("Polícia", ["polícia"]) == ["polícia"]


def test_phrases_and_words_of_unspaced_scripts_are_found_on_the_page() -> None:
    assert forbidden_words("Dịch vụ mại\ndâm", ["mại dâm"]) == ["mai dam"]  # across a line end
    assert forbidden_words("Tôi buồn", ["buôn người"]) == []  # "sad" is not "trafficking"
    assert forbidden_words("免费帮助人口\n贩卖受害者", ["人口贩卖"]) == ["人口贩卖"]
    assert forbidden_words("اتصل بالشـرطة", ["بالشرطة"]) == ["بالشرطة"]  # through tatweel


def test_front_text_starting_with_a_forbidden_word_stops_the_build(
    content_copy: Path, tmp_path: Path
) -> None:
    edit(
        content_copy / "materials.yaml",
        "  front_text: Please call 24 hours ahead to change.",
        "  front_text: Police and other help.",
    )
    result = run_build(
        "--content", content_copy, "--out", tmp_path / "out", "--region", "danbury",
        "--lang", "en", "--material", "discreet-card",
    )  # fmt: skip
    assert_clean_failure(result, "discreet-card: its front shows police")
    assert pdfs(tmp_path / "out") == []


def test_a_look_alike_letter_on_the_front_stops_the_build(
    content_copy: Path, tmp_path: Path
) -> None:
    edit(
        content_copy / "materials.yaml",
        "  front_text: Please call 24 hours ahead to change.",
        "  front_text: Free and private. No p\u043elice.",
    )
    result = run_build(
        "--content", content_copy, "--out", tmp_path / "out", "--region", "danbury",
        "--lang", "en", "--material", "discreet-card",
    )  # fmt: skip
    assert_clean_failure(result, "its front shows police")


def test_a_forbidden_word_on_the_flyer_tabs_stops_the_build(
    content_copy: Path, tmp_path: Path
) -> None:
    region = content_copy / "regions" / "danbury.yaml"
    text = region.read_text(encoding="utf-8")
    # Cyrillic letters (U+043E, U+0435) in the label: what the laid-out check (look-alike letters
    # folded to Latin) catches after the content check, which compares words as written.
    tab = "  tab: {resource: trafficking-hotline, label: Esc\u043ert h\u0435lp}"
    region.write_text(re.sub(r"(?m)^  tab: .*$", tab, text, count=1), encoding="utf-8")
    result = run_build(
        "--content", content_copy, "--out", tmp_path / "out", "--region", "danbury",
        "--lang", "en", "--material", "flyer",
    )  # fmt: skip
    assert_clean_failure(result, "danbury/en/flyer", "its tear-off tabs show escort")
    assert pdfs(tmp_path / "out") == []


def test_a_forbidden_word_in_the_front_page_margin_stops_the_build(
    templates_copy: Path, tmp_path: Path
) -> None:
    css = templates_copy / "discreet-card.css"
    css.write_text(
        css.read_text(encoding="utf-8")
        + '\n@page :first { @bottom-right { content: "Police"; font-size: 5pt } }\n',
        encoding="utf-8",
    )
    result = run_build(
        "--templates", templates_copy, "--out", tmp_path / "out", "--region", "danbury",
        "--lang", "en", "--material", "discreet-card",
    )  # fmt: skip
    assert_clean_failure(result, "its front shows police")
