"""The text message (issue 26): SMS segments counted as phones count them, every shipped
region and language within two segments with its numbers, unconfirmed facts in words, and
clear errors for a message too long or a label that gives the reader away."""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from pathlib import Path

import pytest

from handout.build.plan import Translations
from handout.content.errors import ContentErrors, UserError
from handout.content.load import load
from handout.content.read import Content
from handout.layout.sms import (
    LRM,
    Encoding,
    check_message,
    compose_message,
    encoding_of,
    measure,
    message,
    message_problems,
    plain,
)
from tests.conftest import CONTENT, TEMPLATES, edit

# --- Segments, by the rules of GSM 03.38 and of Twilio's segment calculator ---------------


@pytest.mark.parametrize(
    ("text", "encoding", "length", "segments"),
    [
        ("", Encoding.gsm7, 0, 0),
        ("a" * 160, Encoding.gsm7, 160, 1),
        ("a" * 161, Encoding.gsm7, 161, 2),
        ("a" * 306, Encoding.gsm7, 306, 2),
        ("a" * 307, Encoding.gsm7, 307, 3),
        # The extension table takes two septets: 80 euro signs fill one SMS.
        ("€" * 80, Encoding.gsm7, 160, 1),
        ("€" * 81, Encoding.gsm7, 162, 2),
        ("{}[]~|^\\\f", Encoding.gsm7, 18, 1),
        # An escape pair is never split: 152 + 2 does not fit a 153-septet segment.
        ("a" * 152 + "€" + "a" * 152, Encoding.gsm7, 306, 3),
        ("a" * 151 + "€" + "a" * 153, Encoding.gsm7, 306, 2),
        # UCS-2: 70 code units in one SMS, 67 a segment in parts.
        ("á" * 70, Encoding.ucs2, 70, 1),
        ("á" * 71, Encoding.ucs2, 71, 2),
        ("á" * 134, Encoding.ucs2, 134, 2),
        ("á" * 135, Encoding.ucs2, 135, 3),
        # Outside the Basic Multilingual Plane: two code units, never split.
        ("😀" * 35, Encoding.ucs2, 70, 1),
        ("a" + "😀" * 35, Encoding.ucs2, 71, 2),
        ("á" * 66 + "😀" + "á" * 66, Encoding.ucs2, 134, 3),
        ("联系方式", Encoding.ucs2, 4, 1),
    ],
)
def test_segments_are_counted_as_phones_count_them(
    text: str, encoding: Encoding, length: int, segments: int
) -> None:
    size = measure(text)
    assert (size.encoding, size.length, size.segments) == (encoding, length, segments)


def test_the_gsm_alphabet_has_its_traps() -> None:
    """Ç is in the alphabet, ç is not; é è ù ì ò are, á í ó ú ã õ ê â are not; Greek
    capitals such as Δ are; a curly apostrophe or a no-break space are not."""
    for letter in "ÇéèùìòÉÄÖÑÜäöñüàßΔΦΓΛΩΠΨΣΘΞ£¥¤§¡¿@$":
        assert encoding_of(letter) == Encoding.gsm7, letter
    for letter in "çáíóúãõêâÁÍÓÚÃÕÊÂ’“\u00a0–…`":
        assert encoding_of(letter) == Encoding.ucs2, letter


def test_plain_punctuation_keeps_a_latin_message_in_gsm7() -> None:
    typed = "It’s “free”\u00a0– call\u202f211…"
    assert encoding_of(typed) == Encoding.ucs2
    assert plain(typed) == 'It\'s "free" - call 211...'
    assert encoding_of(plain(typed)) == Encoding.gsm7
    assert plain("e\u0301") == "é"  # an accent typed apart is one letter, in the alphabet
    assert plain("Línea 888 ٨٨٨ 求助") == "Línea 888 ٨٨٨ 求助"  # letters and digits unchanged


# --- The shipped content ------------------------------------------------------------------


@pytest.fixture(scope="module")
def content() -> Content:
    return load(CONTENT)


@pytest.fixture(scope="module")
def translations(content: Content) -> Translations:
    return Translations(content, TEMPLATES)


def numbers_of(content: Content, region: str, language: str) -> list[str]:
    """The digits of each number the region's text message lists in `language`."""
    found = []
    for pick in content.regions[region].text_message.numbers:
        for phone in content.resources[pick.resource].phones:
            served = phone.languages is None or language in phone.languages
            if phone.purpose == pick.purpose and served:
                found.append(re.sub(r"\D", "", phone.number))
    return found


def test_every_shipped_message_fits_in_two_segments_with_its_numbers(
    content: Content, translations: Translations
) -> None:
    for region in content.regions:
        for language in content.project.codes:
            sent = message(content, region, translations.translator(language))
            where = f"{region}/{language}: {sent.text!r}"
            assert sent.fits and sent.segments <= 2, where
            assert "888-373-7888" in sent.text and "HELP" in sent.text, where
            numbers = numbers_of(content, region, language)
            assert len(numbers) >= 4, where
            for digits in numbers:
                assert digits in re.sub(r"[^\d\n ]", "", sent.text).split(), (digits, where)
            assert sent.draft == (language != "en"), where


def test_latin_messages_are_gsm7_and_others_ucs2(
    content: Content, translations: Translations
) -> None:
    encodings = {
        language: compose_message(content, "new-milford", translations.translator(language))
        for language in content.project.codes
    }
    assert {code for code, sent in encodings.items() if sent.encoding == Encoding.gsm7} == {
        "en",
        "ht",
    }
    english = encodings["en"].text
    assert english.startswith("Contacts\n")
    assert "Help line: 888-373-7888, text HELP to 233733" in english
    assert "Safe Connect: call or text 888-774-2900" in english
    assert "\nInformation: 211\n" in english and english.endswith("Emergency: 911")
    # The hotline answers texts in English and Spanish only: said where it fits (Haitian
    # Creole, in GSM-7, has room), never in English or Spanish themselves.
    assert "angle oswa an panyòl" in encodings["ht"].text
    assert "English or Spanish" not in english


def test_no_shipped_message_gives_the_reader_away(
    content: Content, translations: Translations
) -> None:
    for region in content.regions:
        for language in content.project.codes:
            sent = compose_message(content, region, translations.translator(language))
            assert message_problems(content, sent) == [], (region, language)


def test_without_text_message_the_discreet_cards_back_is_listed(content_copy: Path) -> None:
    region = content_copy / "regions" / "new-milford.yaml"
    text = region.read_text(encoding="utf-8")
    start = text.index("\ntext_message:")
    region.write_text(text[:start] + text[text.index("\nflyer:") :], encoding="utf-8")
    loaded = load(content_copy)
    assert loaded.regions["new-milford"].text_message is None
    sent = message(loaded, "new-milford", Translations(loaded, TEMPLATES, ["en"]).translator("en"))
    assert sent.text.splitlines()[1:] == [
        "Emergency: 911",
        "Safe Connect: call or text 888-774-2900",
        "Help line: 888-373-7888, text HELP to 233733",
        "Information: 211",
    ]


# --- Unconfirmed facts, too long, giveaway words ------------------------------------------


def with_legal_aid(root: Path, region: str) -> Content:
    """The region's message with Connecticut Legal Services added (not confirmed for the
    Danbury and Waterbury areas: `overrides:` in their region files)."""
    edit(
        root / "regions" / f"{region}.yaml",
        "    - resource: emergency-911\n      label: Emergency\n\nflyer:",
        "    - resource: emergency-911\n      label: Emergency\n"
        "    - resource: ct-legal-services\n      label: Legal aid\n\nflyer:",
    )
    return load(root)


def test_an_unconfirmed_fact_is_said_in_words(content_copy: Path) -> None:
    loaded = with_legal_aid(content_copy, "danbury")
    translations = Translations(loaded, TEMPLATES, ["en"])
    english = compose_message(loaded, "danbury", translations.translator("en"))
    assert english.unverified == ("ct-legal-services",)
    legal = english.text.splitlines()[-1]
    assert legal.startswith("Legal aid: ") and legal.endswith(" (not confirmed, call 211 to check)")
    assert english.text.count("not confirmed") == 1
    assert check_message(loaded, english) is english
    # New Milford's legal aid is confirmed: no words.
    new_milford = with_legal_aid(content_copy, "new-milford")
    confirmed = compose_message(new_milford, "new-milford", translations.translator("en"))
    assert "Legal aid: " in confirmed.text and "not confirmed" not in confirmed.text


def test_a_message_too_long_fails_with_its_file_language_and_fix(content_copy: Path) -> None:
    loaded = with_legal_aid(content_copy, "danbury")
    arabic = compose_message(
        loaded, "danbury", Translations(loaded, TEMPLATES, ["ar"]).translator("ar")
    )
    assert arabic.encoding == Encoding.ucs2 and arabic.segments == 3 and not arabic.fits
    assert not arabic.text.startswith("جهات الاتصال")  # the opening line went first
    with pytest.raises(UserError) as raised:
        check_message(loaded, arabic)
    said = str(raised.value)
    assert isinstance(raised.value, ContentErrors)
    assert "danbury.yaml" in said and "the ar text message takes 3 SMS segments" in said
    assert "over the limit of 2 (134)" in said
    assert "list fewer numbers under `text_message: numbers:`" in said
    # The longest translated text it prints is named, with its catalog.
    assert "shorten the translation of `(not confirmed, call 211 to check)`" in said
    assert "locale/ar.po" in said


def test_the_limit_is_a_project_setting(content_copy: Path) -> None:
    edit(
        content_copy / "project.yaml", "\nlanguages:", "\ntext_message_max_segments: 1\nlanguages:"
    )
    loaded = load(content_copy)
    translations = Translations(loaded, TEMPLATES, ["es"])
    assert message(loaded, "waterbury", translations.translator("en")).segments == 1
    with pytest.raises(ContentErrors, match="the es text message takes 2 SMS segments"):
        message(loaded, "waterbury", translations.translator("es"))


def test_a_label_that_names_the_hotline_is_refused(content_copy: Path) -> None:
    edit(
        content_copy / "regions" / "waterbury.yaml",
        "label: Help line\n    - resource: ct-safe-connect",
        "label: Trafficking help\n    - resource: ct-safe-connect",
    )
    loaded = load(content_copy)
    sent = compose_message(
        loaded, "waterbury", Translations(loaded, TEMPLATES, ["en"]).translator("en")
    )
    problems = message_problems(loaded, sent)
    assert len(problems) == 1
    assert "waterbury.yaml" in str(problems[0].file) and problems[0].line is not None
    assert "says trafficking" in problems[0].message
    assert "neutral `label:`" in problems[0].fix


# --- Right to left --------------------------------------------------------------------------

FRIBIDI = ctypes.util.find_library("fribidi")


def visual(line: str, rtl: bool) -> str:
    """`line` in the order FriBidi (the Unicode bidi algorithm) shows it, marks left out,
    in a paragraph set right to left or left to right (phones choose either)."""
    library = ctypes.CDLL(FRIBIDI)
    size = len(line)
    logical = (ctypes.c_uint32 * size)(*map(ord, line))
    shown = (ctypes.c_uint32 * (size + 1))()
    direction = ctypes.c_uint32(0x111 if rtl else 0x110)  # FRIBIDI_PAR_RTL, FRIBIDI_PAR_LTR
    library.fribidi_log2vis(logical, size, ctypes.byref(direction), shown, None, None, None)
    return "".join(chr(code) for code in shown[:size]).replace(LRM, "")


@pytest.mark.skipif(FRIBIDI is None, reason="needs the FriBidi library (libfribidi0)")
def test_numbers_stay_in_order_in_an_arabic_message(
    content: Content, translations: Translations
) -> None:
    # Without the mark, the digits after an Arabic letter are reordered (rule W2).
    assert "888-373-7888" not in visual("خط: 888-373-7888", rtl=True)
    sent = compose_message(content, "new-milford", translations.translator("ar"))
    assert f"{LRM}888-373-7888" in sent.text and f"{LRM}888-774-2900" in sent.text
    for line in sent.text.splitlines():
        numbers = re.findall(r"[\d-]{3,}", line)
        for rtl in (True, False):
            for number in numbers:
                assert number in visual(line, rtl), (line, rtl)
