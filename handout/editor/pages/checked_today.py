""" "I checked this today": beside a record's Save, how the person checked it (and where), so
that a changed phone number is saved with the check that it is right, as the README's
worked example does by hand (`source:`, `checked:`, `checked_how:`).

Where the source was found goes into the record with the rest of the form (it is one of its
fields); the check itself (today's date, how, and that the fact is confirmed) is written by
`handout.content.recheck.mark_checked`, as `mark-checked` writes it, right after the save,
and kept in the history as a change of its own.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from handout.content.errors import UserError
from handout.content.models import CheckedHow
from handout.content.recheck import mark_checked
from handout.editor import forms
from handout.editor.pages.rechecks import CHECKED_HOW_SAID
from handout.editor.pages.shared import content, log

if TYPE_CHECKING:
    from handout.editor.records import Place
    from handout.editor.site import Site

HOW = "_check_how"
SOURCE = "_check_source"
"""The form's fields (not fields of the record: their names start with `_`)."""


def asked(values: forms.Values) -> tuple[CheckedHow | None, dict[str, str]]:
    """How the person says they checked the record today (None: they did not say), and
    the errors of these fields. Where it was checked is put first in the record's
    `source:`, before the note it had ("; earlier, ...")."""
    how_text = str(values.get(HOW, "")).strip()
    source = str(values.get(SOURCE, "")).strip()
    if not how_text:
        if source:
            return None, {HOW: "Choose how you checked it today, or leave “Where” empty"}
        return None, {}
    try:
        how = CheckedHow(how_text)
    except ValueError:
        return None, {HOW: "Choose one of the ways offered"}
    if source:
        values["source"] = with_earlier(source, str(values.get("source", "")).strip())
    return how, {}


EARLIER = "; earlier, "
"""Between where a fact was checked today and the editors' note it had before."""


def with_earlier(where: str, note: str) -> str:
    """The new source note: where it was checked today first, then the note it had, kept
    (it may say how good an older source was): "called the line; earlier, ctcadv.org"."""
    if not note or note == where or note.startswith(where + EARLIER):
        return note or where
    return where + EARLIER + note


def record_check(site: Site, place: Place, how: CheckedHow, who: str) -> str | None:
    """Write today's check into the record, as `mark-checked` does, and keep it in the
    history; None when done, else why it could not be written (the record's save stands)."""
    loaded = content(site)
    before = place.path.read_text(encoding="utf-8")
    try:
        mark_checked(loaded, [place.id], datetime.date.today(), verified=True, how=how)
    except UserError as error:
        return str(error)
    after = place.path.read_text(encoding="utf-8")
    if after != before:
        what = f"checked {place.kind} {place.id} today ({CHECKED_HOW_SAID[how]})"
        log(site, who, what, place.file, before, after)
    return None
