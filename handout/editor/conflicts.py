"""When two people save the same record: what the other person changed, field by field, beside
what this person typed, and who made the other change and when.

A raw diff of the YAML file (`---`, `+++`, `@@`) means nothing to a coordinator who never saw
YAML, and does not say who to ask. So the page shows only the fields whose values differ,
each under its label ("Phone 1, number"), their version beside the one in the form; the
other person's name and time come from the editor's history (each save is logged there, and
with `serve --commit` committed under the same name).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAMLError

from handout.content import yaml_edit
from handout.editor import forms, history
from handout.editor.records import digest


@dataclass(frozen=True)
class Difference:
    """One field that differs: its label, their value and the value in the form."""

    label: str
    theirs: str
    mine: str
    theirs_changed: bool = True
    """Whether the other person changed this field (else it is as the form was opened)."""


@dataclass(frozen=True)
class OtherSave:
    """Who saved the version now in the file, and when, in words."""

    who: str
    when: str
    in_editor: bool


def _shown(value: str | list[str] | None) -> str:
    if isinstance(value, list):
        value = ", ".join(item for item in value if item.strip())
    value = (value or "").strip()
    return value or "(empty)"


def record_in(text: str | None, list_key: str, record_id: str) -> dict[str, Any] | None:
    """The record `record_id` of the list `list_key` in a file's text (plain values), or
    None (no text, or no such record)."""
    if not text:
        return None
    try:
        items = yaml_edit.plain(yaml_edit.load(text)).get(list_key) or []
    except (YAMLError, AttributeError):  # an earlier text that no longer reads: no base
        return None
    return next(
        (item for item in items if isinstance(item, dict) and item.get("id") == record_id), None
    )


def differences(
    model: type[BaseModel],
    theirs: dict[str, Any],
    mine: forms.Values,
    opened: dict[str, Any] | None = None,
) -> list[Difference]:
    """The fields whose values differ between the record as saved by the other person
    (`theirs`, as written in the file) and the form as sent (`mine`), in the form's order;
    each says whether the other person changed it (from `opened`, the record as the form
    was made from it, when known). Both are read the same way (the form's values of the
    record), so a field written differently but meaning the same is not listed."""
    their_values = forms.values_of(model, theirs)
    my_values = forms.values_of(model, forms.parse(model, mine))
    opened_values = forms.values_of(model, opened) if opened is not None else None
    names = list(dict.fromkeys([*their_values, *my_values]))
    found = []
    for name in names:
        their_text, my_text = _shown(their_values.get(name)), _shown(my_values.get(name))
        if their_text != my_text:
            changed = opened_values is None or _shown(opened_values.get(name)) != their_text
            found.append(Difference(forms.field_label(name), their_text, my_text, changed))
    return found


def when_words(moment: datetime.datetime, today: datetime.date) -> str:
    """When, in words: today at 14:05, yesterday at 09:30 or on March 2, 2026 at 11:00."""
    clock = moment.strftime("%H:%M")
    if moment.date() == today:
        return f"today at {clock}"
    if moment.date() == today - datetime.timedelta(days=1):
        return f"yesterday at {clock}"
    return f"on {moment.strftime('%B')} {moment.day}, {moment.year} at {clock}"


def other_save(out: Path, file: str, now: str, path: Path) -> OtherSave:
    """Who saved `file` as it is now (`now`), from the editor's history; a file changed
    outside the editor (a text editor, a command) is said to be so, with its file time."""
    today = datetime.date.today()
    wanted = digest(now)
    for change in history.changes(out):
        if change.file == file and change.after_hash == wanted:
            try:
                moment = datetime.datetime.fromisoformat(change.when)
            except ValueError:
                return OtherSave(change.who, change.when, in_editor=True)
            return OtherSave(change.who, when_words(moment, today), in_editor=True)
    try:
        moment = datetime.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return OtherSave("Someone", "", in_editor=False)
    return OtherSave("Someone", when_words(moment, today), in_editor=False)
