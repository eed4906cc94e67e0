"""The text message (SMS) of a region and language: the numbers a reader most needs, which
an outreach worker pastes into a text (issue 26).

It is composed from the same facts as the cards (`Composer.entry`), marks an unconfirmed
fact in words, and must fit in `text_message_max_segments` SMS segments (2 by default).

How a phone counts a message (3GPP TS 23.038, GSM 03.38): a message written only in the
GSM 7-bit default alphabet takes 160 septets in one SMS, or 153 a segment when it is sent
in parts (the rest of each part is the header that joins them); the characters of the
alphabet's extension table (`^{}\\[~]|€` and form feed) take two septets (an escape, then
the character). One character outside the alphabet, and the whole message is sent in
UCS-2: 70 UTF-16 code units in one SMS, 67 a segment in parts, a character outside the
Basic Multilingual Plane (an emoji) taking two. A phone never splits an escape pair or a
surrogate pair between two segments.

Numbers: written with hyphens, "888-373-7888" for the cards' "(888) 373-7888" (the same
digits, two characters shorter, and what phones turn into a link), in Western digits in
every language (a region's `phone_digits: native` is for print: phones dial and link 0-9).

Right-to-left messages: after an Arabic letter the bidi algorithm takes digits for Arabic
numbers (rule W2), and a hyphen or space between those is no longer part of the number:
"888-373-7888" shows as "7888-373-888" in an Arabic line (checked with FriBidi). A
left-to-right mark (U+200E, one code unit, known to every phone that shows Arabic) before
the number keeps it a European number, in order, whichever direction the phone gives the
line. Isolates (LRI...PDI, U+2066/U+2069) would do it too, at two units, and older phones
show them as boxes. A number of digits only (211, 233733) needs nothing.

Draft translations are not marked in the message: "Draft translation, not yet checked"
would take a third of the 134 characters of two Arabic or Chinese segments, and says
nothing the numbers (which are never translated) depend on. `TextMessage.draft` tells the
build, which reports it to the outreach worker instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from handout.content import phones
from handout.content.characters import right_to_left
from handout.content.errors import ContentErrors, Problem, display_path
from handout.content.i18n import PLACEHOLDER, Translator, catalog_path
from handout.content.models import Pick
from handout.content.read import Content
from handout.content.words import giveaway_words
from handout.layout.compose import Composer, Entry, PhoneView, fill

# --- Encoding and segments ----------------------------------------------------------------

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The GSM 03.38 default alphabet (127 characters; the 128th code is the escape)."""
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
"""Characters of the extension table: an escape and the character, two septets."""

SINGLE = {"GSM-7": 160, "UCS-2": 70}
"""The most septets (GSM-7) or UTF-16 code units (UCS-2) one SMS holds."""
PART = {"GSM-7": 153, "UCS-2": 67}
"""The most a segment of a message sent in parts holds (the rest is the joining header)."""


class Encoding(StrEnum):
    gsm7 = "GSM-7"
    ucs2 = "UCS-2"


@dataclass(frozen=True)
class Size:
    """How a phone sends a text: its encoding, its length in septets (GSM-7) or UTF-16
    code units (UCS-2), and the number of SMS segments."""

    encoding: Encoding
    length: int
    segments: int


def is_gsm7(text: str) -> bool:
    """Whether `text` can be sent in the GSM 7-bit alphabet (with its extension table)."""
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


def encoding_of(text: str) -> Encoding:
    return Encoding.gsm7 if is_gsm7(text) else Encoding.ucs2


def _cost(char: str, encoding: Encoding) -> int:
    if encoding == Encoding.gsm7:
        return 2 if char in GSM_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def measure(text: str) -> Size:
    """The encoding, length and SMS segments of `text`. In parts, a character is never
    split: a segment ending one unit short of a two-unit character leaves that unit empty."""
    encoding = encoding_of(text)
    costs = [_cost(char, encoding) for char in text]
    length = sum(costs)
    if length <= SINGLE[encoding]:
        return Size(encoding, length, 1 if text else 0)
    segments, used = 1, 0
    for cost in costs:
        if used + cost > PART[encoding]:
            segments, used = segments + 1, 0
        used += cost
    return Size(encoding, length, segments)


def capacity(encoding: Encoding, segments: int) -> int:
    """The most septets or code units `segments` segments hold (306 GSM-7 in two)."""
    return SINGLE[encoding] if segments == 1 else PART[encoding] * segments


PLAIN = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛‹›ʼ′`´＇", "'"),
        **dict.fromkeys("“”„‟«»″＂", '"'),
        **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006", " "),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
        "…": "...",
        "\u00ad": None,  # a soft hyphen: invisible, but forces UCS-2
        "\u200b": None,  # a zero-width space: the same
    }
)
"""Typographic punctuation and spaces made plain: a curly apostrophe or a no-break space
(typed by a translator, or pasted) would silently send a Latin message in UCS-2, at less
than half the length. Letters and digits are never changed."""


def plain(text: str) -> str:
    """`text` with plain quotes, apostrophes, hyphens and spaces, in NFC (a letter and its
    accent typed apart, "e" + U+0301, are one "é", which is in the GSM alphabet)."""
    return unicodedata.normalize("NFC", text).translate(PLAIN)


# --- Composing the message ----------------------------------------------------------------

US_NUMBER = re.compile(r"\((\d{3})\) (\d{3})-(\d{4})")
DIGITS_ONLY = re.compile(r"\d+")
LRM = "\u200e"
"""The left-to-right mark: put before a number in a right-to-left message (see above)."""


def sms_number(phone: PhoneView, rtl: bool) -> str:
    """A number as the message writes it: "(888) 373-7888" as "888-373-7888", in Western
    digits; in a right-to-left language, after a left-to-right mark unless it is digits
    only."""
    number = US_NUMBER.sub(r"\1-\2-\3", phones.display(phone.phone.number))
    if rtl and not DIGITS_ONLY.fullmatch(number):
        return LRM + number
    return number


@dataclass(frozen=True)
class TextMessage:
    """One region and language's message, with its size and what the build reports."""

    region_id: str
    language: str
    text: str
    size: Size
    max_segments: int
    draft: bool
    """A translation not yet reviewed (the message does not say so: see the module)."""
    unverified: tuple[str, ...]
    """The ids of the records shown that could not be confirmed (each marked in words)."""
    texts: tuple[tuple[str, str], ...]
    """Each translatable text used (English, as printed): to name one too long."""

    encoding = property(lambda self: self.size.encoding)
    segments = property(lambda self: self.size.segments)
    length = property(lambda self: self.size.length)

    @property
    def fits(self) -> bool:
        return self.size.segments <= self.max_segments


class _Words:
    """The message's texts, translated, each recorded as used (for the too-long error)."""

    def __init__(self, content: Content, translator: Translator) -> None:
        self.english = content.text.text_message
        self.tr = translator
        self.used: dict[str, str] = {}

    def __call__(self, english: str, **values: str) -> str:
        translated = self.tr.gettext(english)
        self.used[english] = translated
        return fill(translated, **values)

    def __getattr__(self, name: str) -> str:
        return getattr(self.english, name)


def picks(content: Content, region_id: str) -> list[Pick]:
    """The region's `text_message: numbers:`, or by default its discreet card's back."""
    region = content.regions[region_id]
    if region.text_message is not None:
        return region.text_message.numbers
    return region.discreet_card.back


def compose_message(content: Content, region_id: str, translator: Translator) -> TextMessage:
    """The text message of `region_id` in the translator's language: one line for each pick
    that has a number in this language, its unconfirmed facts marked in words. Then, each
    only while the message stays within the limit, what helps without being a number: the
    languages a text line is answered in, where the reader's is not one of them (as the
    pocket card says it), and the neutral opening line. Not checked: see `message_problems`."""
    composer = Composer(content, region_id, translator)
    view = composer.view()
    words = _Words(content, translator)
    rtl = right_to_left(translator.language)
    limit = content.project.text_message_max_segments
    lines: list[str] = []
    noted: list[tuple[int, str]] = []
    for pick in picks(content, region_id):
        entry = composer.entry(pick, view)
        if not entry.phones:
            continue
        lines.append(_line(entry, words, rtl))
        if pick.label:
            words.used[pick.label] = entry.label
        with_notes = _line(entry, words, rtl, notes=True)
        if with_notes != lines[-1]:
            noted.append((len(lines) - 1, with_notes))
    for index, line in noted:
        lines = _if_it_fits(lines, [*lines[:index], line, *lines[index + 1 :]], limit)
    before = dict(words.used)
    opened = _if_it_fits(lines, [words(words.opening), *lines], limit)
    if opened is lines:
        words.used = before
    text = plain("\n".join(opened))
    return TextMessage(
        region_id=region_id,
        language=translator.language,
        text=text,
        size=measure(text),
        max_segments=limit,
        draft=view.draft,
        unverified=tuple(getattr(fact, "id", "") for fact in view.unverified),
        texts=tuple(words.used.items()),
    )


def _if_it_fits(lines: list[str], longer: list[str], limit: int) -> list[str]:
    return longer if measure(plain("\n".join(longer))).segments <= limit else lines


def _answered_in(phone: PhoneView, language: str) -> str | None:
    """The note of a text line not answered in `language` ("Texts in English or Spanish."),
    without its full stop (printed in brackets after the number)."""
    if phone.answered_in and language not in phone.answered_in and phone.note:
        return phone.note.rstrip(".。۔")
    return None


def _line(entry: Entry, words: _Words, rtl: bool, notes: bool = False) -> str:
    """ "Help line: 888-373-7888, text HELP to 233733", then "(not confirmed...)" if so;
    with `notes`, each text line not answered in the reader's language says which are."""
    parts = []
    for phone in entry.phones:
        part = _reach(phone, words, rtl)
        note = _answered_in(phone, words.tr.language) if notes else None
        parts.append(f"{part} ({note})" if note else part)
    numbers = parts[0]
    for part in parts[1:]:
        numbers = words(words.more, first=numbers, second=part)
    line = words(words.line, label=entry.label, numbers=numbers)
    if not entry.resource.original.verified:
        line += " " + words(words.unverified)
    return line


def _reach(phone: PhoneView, words: _Words, rtl: bool) -> str:
    """How to reach one number: "888-774-2900" to call, "call or text ...", "text HELP to
    233733", with what to press after it ("211, press 3, then 1") as the cards print it."""
    number = sms_number(phone, rtl)
    if phone.text and not phone.call:
        if phone.keyword:
            reach = words(words.text_keyword, keyword=phone.keyword, number=number)
        else:
            reach = words(words.text, number=number)
    elif phone.text:
        reach = words(words.call_or_text, number=number)
    elif phone.call:
        reach = number
    else:
        reach = words(words.tty, number=number)
    how = phone.how
    return f"{reach}, {how}" if how else reach


# --- Checks ---------------------------------------------------------------------------------


def _region_place(content: Content, message: TextMessage) -> tuple[str, tuple]:
    """Where the message's numbers are chosen: `text_message:` in the region file, or the
    discreet card's back it defaults to."""
    file, base = content.places[f"region:{message.region_id}"]
    region = content.regions[message.region_id]
    key = ("text_message", "numbers") if region.text_message else ("discreet_card", "back")
    return file, (*base, *key)


def message_problems(content: Content, message: TextMessage) -> list[Problem]:
    """What stops the message being sent: more segments than allowed, or a word that could
    give away whoever receives it (`forbidden_on_discreet_front`)."""
    file, place = _region_place(content, message)
    source = content.files[file]
    problems = []
    if not message.fits:
        problems.append(source.problem(place, *_too_long(content, message, file)))
    forbidden = content.project.forbidden_on_discreet_front.get(message.language, [])
    found = giveaway_words(message.text, forbidden)
    if found:
        problems.append(
            source.problem(
                place,
                f"the {message.language} text message says {', '.join(found)}, which could "
                "give away whoever receives it (a phone may be read by whoever controls them)",
                f"give each number under `{place[-2]}:` a neutral `label:` (Help line, "
                "Information) or change the translation that says it",
            )
        )
    return problems


def _too_long(content: Content, message: TextMessage, file: str) -> tuple[str, str]:
    """The message and fix of a message over its limit: fewer numbers, or a shorter
    translation of its longest text (named, with the catalog that holds it)."""
    size, limit = message.size, message.max_segments
    room = capacity(size.encoding, limit)
    unit = "GSM-7 characters" if size.encoding == Encoding.gsm7 else "UCS-2 code units"
    why = (
        f"the {message.language} text message takes {size.segments} SMS segments "
        f"({size.length} {unit}), over the limit of {limit} ({room})"
    )
    fix = f"list fewer numbers under `text_message: numbers:` in {file}"
    if content.regions[message.region_id].text_message is None:
        fix += " (add it: without it the message lists the discreet card's back)"
    translated = [(english, shown) for english, shown in message.texts if english != shown]
    if translated:
        english, shown = max(translated, key=lambda pair: len(PLACEHOLDER.sub("", pair[1])))
        catalog = display_path(catalog_path(content.root, message.language))
        fix += f", or shorten the translation of `{english}` (`{shown}`) in {catalog}"
    elif size.encoding == Encoding.ucs2 and content.project.source_language == message.language:
        odd = sorted({char for char in message.text if not is_gsm7(char)})
        fix += f", or write the texts without {' '.join(odd)} (they make it UCS-2)"
    else:
        fix += ", or shorten the texts under `text_message:` in materials.yaml"
    return why, fix


def check_message(content: Content, message: TextMessage) -> TextMessage:
    """`message`, or a `ContentErrors` (a `UserError`) saying why it cannot be sent."""
    problems = message_problems(content, message)
    if problems:
        raise ContentErrors(problems, f"the text message of {message.region_id}")
    return message


def message(content: Content, region_id: str, translator: Translator) -> TextMessage:
    """The checked text message of a region in a language: what the build writes."""
    return check_message(content, compose_message(content, region_id, translator))


__all__ = [
    "Encoding",
    "Size",
    "TextMessage",
    "capacity",
    "check_message",
    "compose_message",
    "encoding_of",
    "measure",
    "message",
    "message_problems",
    "plain",
    "sms_number",
]
