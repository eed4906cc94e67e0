"""Dates written the reader's way, from CLDR: Babel's data first; where it has no month
names for a language (Haitian Creole: "2026 M11 27"), ICU's, which falls back to the
language CLDR gives as its parent (French: "27 novembre 2026"), in the Gregorian calendar
(the dates are when facts were checked, here, and a fa-AF locale would otherwise pick
the Solar Hijri one)."""

from __future__ import annotations

import datetime
import functools
import re

from babel import Locale
from babel.dates import format_date, format_skeleton

from handout.content.characters import babel_code, cldr_locale

UNNAMED_MONTH = re.compile(r"\bM\d{1,2}\b")
"""How CLDR writes a month it has no name for."""


@functools.lru_cache(maxsize=4096)
def long_date(value: datetime.date, language: str) -> str:
    """ "November 27, 2026", "27 de noviembre de 2026"."""
    written = format_date(value, "long", locale=_locale(language))
    if UNNAMED_MONTH.search(written):
        return _icu(value, language, None)
    return written


@functools.lru_cache(maxsize=4096)
def month_year(value: datetime.date, language: str) -> str:
    """ "November 2026", "noviembre de 2026"."""
    written = format_skeleton("yMMMM", value, locale=_locale(language))
    if UNNAMED_MONTH.search(written):
        return _icu(value, language, "yMMMM")
    return written


def _locale(language: str) -> Locale:
    return cldr_locale(language) or Locale.parse("en")


def _icu(value: datetime.date, language: str, skeleton: str | None) -> str:
    import icu

    locale = icu.Locale(f"{babel_code(language)}@calendar=gregorian;numbers=latn")
    if skeleton is None:
        formatter = icu.DateFormat.createDateInstance(icu.DateFormat.kLong, locale)
    else:
        pattern = icu.DateTimePatternGenerator.createInstance(locale).getBestPattern(skeleton)
        formatter = icu.SimpleDateFormat(pattern, locale)
    formatter.setTimeZone(icu.TimeZone.getGMT())
    calendar = icu.Calendar.createInstance(icu.TimeZone.getGMT(), locale)
    calendar.clear()
    calendar.set(value.year, value.month - 1, value.day)
    return str(formatter.format(calendar.getTime()))
