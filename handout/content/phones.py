"""Phone numbers: checked with `phonenumbers`, printed in US national format, linked.

Short codes (911, 211, and text lines such as 233733) are their own kind: they are not
full numbers, so they are printed and linked as written.
"""

from __future__ import annotations

import functools
import re

import phonenumbers

from handout.content.characters import babel_code
from handout.content.errors import excerpt

SHORT_CODE = re.compile(r"^\d{3,6}$")
REGION = "US"


def is_short_code(number: str) -> bool:
    return bool(SHORT_CODE.match(number.strip()))


LOOK_ALIKE = re.compile(r"(?<=\d)[OoIl]+(?![A-Za-z])|(?<![A-Za-z])[OoIl]+(?=\d)")
"""A letter O, I or l typed beside a digit, where 0 or 1 was meant: a vanity number
spells words ("273-TALK"), never one letter among digits."""

DIGIT_MEANT = {"O": "0 (zero)", "o": "0 (zero)", "I": "1 (one)", "l": "1 (one)"}


@functools.lru_cache(maxsize=65536)
def number_problem(number: str) -> str | None:
    """Why `number` cannot be a real number, or None when it can (each number judged once
    per process: a statewide import repeats them, and every check asks)."""
    if is_short_code(number):
        return None
    letter = LOOK_ALIKE.search(number)
    if letter:
        return (
            f"`{excerpt(number)}` has the letter {letter.group()[0]} among its digits; type "
            f"the digit {DIGIT_MEANT[letter.group()[0]]} there"
        )
    try:
        parsed = phonenumbers.parse(number, REGION)
    except phonenumbers.NumberParseException:
        return f"`{excerpt(number)}` is not a phone number; write it like (888) 373-7888"
    if not phonenumbers.is_valid_number(parsed):
        return (
            f"`{excerpt(number)}` cannot be a real phone number; check every digit against the "
            "source"
        )
    return None


@functools.lru_cache(maxsize=65536)
def _parsed(number: str) -> phonenumbers.PhoneNumber:
    """A valid number, parsed (shared: never change it)."""
    return phonenumbers.parse(number, REGION)


def display(number: str) -> str:
    """US numbers as `(888) 373-7888`; other countries in international format."""
    if is_short_code(number):
        return number.strip()
    parsed = phonenumbers.parse(number, REGION)
    if parsed.country_code == 1:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


WESTERN_DIGITS = "0123456789"


@functools.lru_cache(maxsize=64)
def native_digits(language: str) -> str:
    """The ten digits `language` writes natively, by CLDR (ICU): Arabic-Indic "٠١٢٣٤٥٦٧٨٩"
    for `ar`, "۰۱۲۳۴۵۶۷۸۹" for `fa`; Western "0123456789" for a language without its own."""
    import icu

    system = icu.NumberingSystem.createInstance(
        icu.Locale(f"{babel_code(language)}@numbers=native")
    )
    digits = system.getDescription()
    if system.isAlgorithmic() or len(digits) != len(WESTERN_DIGITS):
        return WESTERN_DIGITS
    return digits


def in_digits(text: str, digits: str) -> str:
    """`text` with its Western digits written as `digits` (the link keeps 0-9: `uri`)."""
    if digits == WESTERN_DIGITS:
        return text
    return text.translate(str.maketrans(WESTERN_DIGITS, digits))


def uri(number: str, scheme: str) -> str:
    """A `tel:` or `sms:` link for `number`."""
    if is_short_code(number):
        return f"{scheme}:{number.strip()}"
    parsed = phonenumbers.parse(number, REGION)
    return f"{scheme}:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def foreign_country(number: str) -> str | None:
    """The calling code (`+44`) of a number outside the North American plan (the US,
    Canada): a reader here pays for an international call, if the phone allows one at all.
    None for a short code or a number of the plan."""
    if is_short_code(number) or number_problem(number):
        return None
    code = _parsed(number).country_code
    return None if code == 1 else f"+{code}"
