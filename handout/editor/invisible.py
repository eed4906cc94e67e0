"""Invisible characters pasted into the editor's fields: removed before anything is saved.

Text copied from a web page or a word processor can carry characters nobody sees: a soft
hyphen (U+00AD), a zero-width space (U+200B), a word joiner (U+2060), a byte order mark
(U+FEFF). Saved, they break a search for a word, split a phone number, and show up to
translators as `'\\xad'` or `'\\u200b'`. A no-break space (U+00A0) looks like a space but
does not wrap like one, so it becomes a plain space.

A value the person did not change (the same as in the file when the form was opened) is
kept as it is: the editor never changes what the coordinator did not touch.
"""

from __future__ import annotations

INVISIBLE = {"\u00ad": "", "\u200b": "", "\u2060": "", "\ufeff": "", "\u00a0": " "}
"""Each invisible character and what it becomes."""

NOT_TEXT = frozenset({"_token", "_hash"})
"""Form fields that are not text a person typed."""


def cleaned(text: str) -> str:
    """`text` without invisible characters (a no-break space becomes a plain space)."""
    return text.translate(str.maketrans(INVISIBLE))


def _item(value: str, untouched: list[str]) -> str:
    return value if value in untouched else cleaned(value)


def clean_values(values: dict, opened: dict) -> bool:
    """Remove invisible characters from the form's `values` in place, except in a value
    that is as it was when the form was opened (`opened`); whether any was removed."""
    removed = False
    for key, value in values.items():
        if key in NOT_TEXT:
            continue
        was = opened.get(key)
        untouched = was if isinstance(was, list) else [] if was is None else [was]
        if isinstance(value, list):
            new: str | list[str] = [_item(item, untouched) for item in value]
        else:
            new = _item(str(value), untouched)
        if new != value:
            values[key], removed = new, True
    return removed
