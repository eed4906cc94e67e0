"""Re-checking facts as a routine: a call sheet of what is due, and recording new checks
in the content files without disturbing their comments or layout."""

from __future__ import annotations

import csv
import datetime
import difflib
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from handout.content import phones
from handout.content.errors import UserError, display_path
from handout.content.files import Changed, Seen, write_all
from handout.content.freshness import age_words, facts_with_places, months_between
from handout.content.lock import content_lock
from handout.content.models import CheckedHow, Law, Resource
from handout.content.read import Content
from handout.content.yaml_file import compose_text

DUE_AHEAD_MONTHS = 1
"""Facts this close to the limit are listed too, so callers can get ahead."""


@dataclass(frozen=True)
class Due:
    id: str
    what: str
    numbers: str
    source: str
    checked: datetime.date
    reason: str
    websites: str = ""
    """Where it can be looked up: the record's website, then its cited sources'
    (`websites_of`); what a caller has for a fact with no number (a law)."""


NOT_CALLED = {
    None: "never confirmed by a call (how it was checked is not recorded)",
    CheckedHow.website: "never confirmed by a call (checked on a website)",
    CheckedHow.directory: "never confirmed by a call (checked in a directory)",
    CheckedHow.document: "never confirmed by a call (checked in a document)",
}
"""Why a fact not confirmed by phone is due, by how it was checked instead."""

OLD_SOURCE_YEARS = 3
"""A source written this many years before today is old, however recently it was re-read."""


def due_facts(content: Content, today: datetime.date, everything: bool = False) -> list[Due]:
    """Facts to re-check, most doubtful first: never confirmed, then resting on an old
    source (a 2016 article stays a 2016 article however often it is re-read), then never
    confirmed by a call, then stale; within each, oldest check first."""
    limit = content.project.checked_max_age_months
    found = []
    for _place, fact in facts_with_places(content):
        age = months_between(fact.checked, today)
        reasons = []
        old_source = (
            fact.source_year is not None and today.year - fact.source_year >= OLD_SOURCE_YEARS
        )
        called = fact.checked_how == CheckedHow.call
        if not fact.verified:
            note = (fact.unverified_note or "").strip().rstrip(".")
            reasons.append("never confirmed" + (f": {note}" if note else ""))
        if old_source:
            reasons.append(f"its source is from {fact.source_year}")
        if not called:
            reasons.append(NOT_CALLED[fact.checked_how])
        if age >= limit - DUE_AHEAD_MONTHS:
            reasons.append(f"checked {age_words(age)} ago")
        if reasons or everything:
            rank = 0 if not fact.verified else 1 if old_source else 2 if not called else 3
            found.append((rank, _due(fact, "; ".join(reasons) or "routine check")))
    found.sort(key=lambda item: (item[0], item[1].checked, item[1].id))
    return [due for _rank, due in found]


def websites_of(fact: Resource | Law) -> list[str]:
    """The websites a fact can be checked on: a record's own, then its cited sources'."""
    own = [str(fact.website)] if isinstance(fact, Resource) and fact.website else []
    cited = [str(cite.website) for cite in fact.cite if cite.website]
    return list(dict.fromkeys(own + cited))


def _due(fact: Resource | Law, reason: str) -> Due:
    websites = ", ".join(websites_of(fact))
    if isinstance(fact, Law):
        what = f"{fact.title} ({fact.statute})"
        return Due(fact.id, what, "", fact.source, fact.checked, reason, websites)
    numbers = ", ".join(
        phones.display(phone.number) + (f" ({phone.keyword})" if phone.keyword else "")
        for phone in fact.phones
    )
    return Due(fact.id, fact.name, numbers, fact.source, fact.checked, reason, websites)


CSV_COLUMNS = [
    "id",
    "fact",
    "numbers",
    "websites",
    "source",
    "last checked",
    "why",
    "checked by",
    "date",
    "still right? (yes/no)",
    "notes",
]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")
"""First characters that make a spreadsheet read a cell as a formula or command (OWASP's
CSV injection list: = + - @ tab CR; and | % as defusedcsv adds)."""


def spreadsheet_safe(cell: str) -> str:
    """`cell` as a spreadsheet will show it and never run it: one starting like a formula
    gets a leading single quote, as OWASP advises (a name or source from an imported
    directory could otherwise run `=HYPERLINK(...)` on the caller's computer)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def sheet_csv(due: list[Due]) -> bytes:
    stream = io.StringIO()
    # Every cell quoted and rows ended by CRLF (RFC 4180): a carriage return or line
    # break inside a cell then stays inside it instead of starting a row of its own.
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in due:
        writer.writerow(
            spreadsheet_safe(cell)
            for cell in [
                item.id,
                item.what,
                item.numbers,
                item.websites,
                item.source,
                item.checked.isoformat(),
                item.reason,
                "",
                "",
                "",
                "",
            ]
        )
    return stream.getvalue().encode("utf-8")


def confirmation(
    record: dict, date: datetime.date, how: CheckedHow | None
) -> tuple[dict[str, object], tuple[str, ...]]:
    """What confirming `record` (its plain values) today writes, and the keys it removes:
    the date, how it was checked, and `verified: true` only where the record says
    `verified:` (true is the default, so a record without it is confirmed already and
    gets no new line). A call also removes `source_year`: the fact now rests on the call."""
    fields: dict[str, object] = {"checked": date}
    if how is not None:
        fields["checked_how"] = how.value
    if "verified" in record:
        fields["verified"] = True
    # Confirmed by a call, the fact rests on that call, not on the old article any more.
    old_source = ("source_year",) if how == CheckedHow.call else ()
    return fields, ("unverified_note", *old_source)


Edit = tuple[int, int, str]
"""Replace the characters from index `start` to `end` of a file's text by a new text."""


def mark_checked(
    content: Content,
    ids: list[str],
    date: datetime.date,
    verified: bool = False,
    how: CheckedHow | None = None,
    seen: Seen | None = None,
) -> list[str]:
    """Set `checked: DATE` (with `how`, also `checked_how:`; with `verified`, confirm the
    fact: a written `verified: false` becomes true and its `unverified_note:` goes; a
    record without `verified:` is confirmed already, as true is the default) on the
    records and laws with these ids, editing the YAML files in place. Returns the files
    changed.

    The files are written as one set, with the content folder locked, and only if each is
    still as it was read here and, with `seen`, as it was before `content` was loaded (the
    places of the records come from that load): a change someone made meanwhile stops it
    (`Changed`), and a failed write changes no file (`WriteFailed`).

    Only the characters of the date (and of `checked_how:`, `verified:` and
    `unverified_note:`) change: the file is edited as text at the places its parse tree
    gives, not parsed and written out again, so comments, blank lines, a header before
    `---`, CRLF line ends, indentation and quoting stay exactly as they were. Every file is
    worked out before any is written."""
    known = {fact.id: place for place, fact in facts_with_places(content)}
    for fact_id in ids:
        if fact_id not in known:
            guess = difflib.get_close_matches(fact_id, list(known), n=1)
            hint = f"; did you mean `{guess[0]}`?" if guess else ""
            raise UserError(f"no record or law has the id `{fact_id}`{hint}")
    by_file: dict[str, list[tuple[str, tuple]]] = {}
    for fact_id in dict.fromkeys(ids):
        file, location = content.places[known[fact_id]]
        by_file.setdefault(file, []).append((fact_id, location))
    new_texts: dict[Path, str] = {}
    read: dict[Path, bytes] = {}
    for file, targets in by_file.items():
        path = content.root / file
        read[path] = path.read_bytes()
        if seen is not None and read[path] != seen.was(path):
            raise Changed(path, None)
        text = read[path].decode("utf-8")
        record = _RecordEditor(path, text)
        edits = [
            edit
            for fact_id, (key, index) in targets
            for edit in record.edits(fact_id, key, index, date, verified, how)
        ]
        new_text = _applied(text, edits)
        if new_text != text:  # a file that already says so is not written again
            new_texts[path] = new_text
    with content_lock(content.root):
        write_all(list(new_texts.items()), read, nothing="no file was changed")
    return [str(display_path(path)) for path in new_texts]


def _applied(text: str, edits: list[Edit]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


class _RecordEditor:
    """Finds the characters to change for one record of a YAML file's text."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.root, self.aliased = compose_text(text)

    def _mapping(self, key: str, index: int) -> yaml.MappingNode:
        for key_node, value in self.root.value:
            if key_node.value == key:
                return value.value[index]
        raise KeyError(key)  # the file was loaded a moment ago: this cannot happen

    def _refuse(self, node: yaml.Node, message: str) -> UserError:
        mark = node.start_mark
        where = f"{display_path(self.path)}:{mark.line + 1}:{mark.column + 1}"
        return UserError(f"{where}: {message}")

    def _value(self, fact_id: str, key: yaml.Node, value: yaml.Node) -> tuple[int, int]:
        """Where the characters of a plain value are (inside its quotes, if quoted)."""
        start, end = value.start_mark.index, value.end_mark.index
        if id(value) in self.aliased or self.text[start] in "&*!":
            raise self._refuse(
                key,
                f"`{key.value}:` of `{fact_id}` is written with a YAML anchor or alias "
                "(`&name`, `*name`), so changing it could change other facts too; write "
                "the value itself there, then run mark-checked again",
            )
        if value.style in ("'", '"'):
            return start + 1, end - 1
        return start, end

    def edits(
        self,
        fact_id: str,
        key: str,
        index: int,
        date: datetime.date,
        verified: bool,
        how: CheckedHow | None = None,
    ) -> list[Edit]:
        record = self._mapping(key, index)
        fields = {key_node.value: (key_node, value) for key_node, value in record.value}
        checked_key, checked = fields["checked"]
        start, end = self._value(fact_id, checked_key, checked)
        edits = [(start, end, date.isoformat())]
        if how is not None:
            edits.append(self._set(fact_id, record, checked_key, checked, "checked_how", how))
        if how == CheckedHow.call and "source_year" in fields:  # the call is the source now
            edits.append(self._removal(fact_id, record, *fields["source_year"]))
        if not verified:
            return edits
        if "verified" in fields:  # true is the default: never written where it is not
            start, end = self._value(fact_id, *fields["verified"])
            edits.append((start, end, "true"))
        if "unverified_note" in fields:
            edits.append(self._removal(fact_id, record, *fields["unverified_note"]))
        return edits

    def _set(
        self,
        fact_id: str,
        record: yaml.MappingNode,
        checked_key: yaml.Node,
        checked: yaml.Node,
        name: str,
        value: str,
    ) -> Edit:
        """Set `name: value` in the record: in place where it is written, else added after
        `checked:` (on a line of its own, or in the same `{...}`)."""
        fields = {key_node.value: (key_node, node) for key_node, node in record.value}
        if name in fields:
            start, end = self._value(fact_id, *fields[name])
            return (start, end, value)
        if record.flow_style:
            return (checked.end_mark.index, checked.end_mark.index, f", {name}: {value}")
        return self._line_after(checked_key, checked, f"{name}: {value}")

    def _line_after(self, key: yaml.Node, value: yaml.Node, line: str) -> Edit:
        """Insert `line` below the line where `value` ends, indented like `key`."""
        text = self.text
        end = text.find("\n", value.end_mark.index)
        newline = "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"
        at = len(text) if end < 0 else end + 1
        lead = "" if end >= 0 else newline
        return (at, at, f"{lead}{' ' * key.start_mark.column}{line}{newline}")

    def _removal(
        self, fact_id: str, record: yaml.MappingNode, key: yaml.Node, value: yaml.Node
    ) -> Edit:
        """Remove the whole lines of a `key: value` pair written on lines of its own."""
        text = self.text
        line_start = text.rfind("\n", 0, key.start_mark.index) + 1
        if record.flow_style or text[line_start : key.start_mark.index].strip():
            raise self._refuse(
                key,
                f"`{key.value}:` of `{fact_id}` does not stand on lines of its own; remove it "
                "by hand, then run mark-checked again",
            )
        last = len(text[: value.end_mark.index].rstrip())  # block scalars end a line later
        end = text.find("\n", last)
        return (line_start, len(text) if end < 0 else end + 1, "")
