"""Re-checking facts as a routine: a call sheet of what is due, and recording new checks
in the content files without disturbing their comments or layout."""

from __future__ import annotations

import csv
import datetime
import difflib
import io
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from handout import phones
from handout.errors import UserError, display_path
from handout.freshness import facts_with_places, months_between
from handout.load import Content
from handout.models import CheckedHow, Law, Resource

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
            reasons.append(
                "never confirmed" + (f": {fact.unverified_note}" if fact.unverified_note else "")
            )
        if old_source:
            reasons.append(f"its source is from {fact.source_year}")
        if not called:
            how = fact.checked_how.value if fact.checked_how else "how: not recorded"
            reasons.append(f"never confirmed by a call ({how})")
        if age >= limit - DUE_AHEAD_MONTHS:
            reasons.append(f"checked {age} months ago")
        if reasons or everything:
            rank = 0 if not fact.verified else 1 if old_source else 2 if not called else 3
            found.append((rank, _due(fact, "; ".join(reasons) or "routine check")))
    found.sort(key=lambda item: (item[0], item[1].checked, item[1].id))
    return [due for _rank, due in found]


def _due(fact: Resource | Law, reason: str) -> Due:
    if isinstance(fact, Law):
        return Due(fact.id, f"{fact.title} ({fact.statute})", "", fact.source, fact.checked, reason)
    numbers = ", ".join(
        phones.display(phone.number) + (f" ({phone.keyword})" if phone.keyword else "")
        for phone in fact.phones
    )
    return Due(fact.id, fact.name, numbers, fact.source, fact.checked, reason)


CSV_COLUMNS = [
    "id",
    "fact",
    "numbers",
    "source",
    "last checked",
    "why",
    "checked by",
    "date",
    "still right? (yes/no)",
    "notes",
]


def sheet_csv(due: list[Due]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in due:
        writer.writerow(
            [
                item.id,
                item.what,
                item.numbers,
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


def _round_trip() -> YAML:
    yaml = YAML()  # round-trip: comments, order, quoting and folded text are kept
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def mark_checked(
    content: Content,
    ids: list[str],
    date: datetime.date,
    verified: bool = False,
    how: CheckedHow | None = None,
) -> list[str]:
    """Set `checked: DATE` (with `how`, also `checked_how:`; with `verified`, confirm the
    fact) on the records and laws with these ids, editing the YAML files in place. Returns
    the files changed."""
    known = {fact.id: place for place, fact in facts_with_places(content)}
    for fact_id in ids:
        if fact_id not in known:
            guess = difflib.get_close_matches(fact_id, list(known), n=1)
            hint = f"; did you mean `{guess[0]}`?" if guess else ""
            raise UserError(f"no record or law has the id `{fact_id}`{hint}")
    by_file: dict[str, list[tuple[str, tuple]]] = {}
    for fact_id in ids:
        file, location = content.places[known[fact_id]]
        by_file.setdefault(file, []).append((fact_id, location))
    yaml = _round_trip()
    changed = []
    for file, targets in by_file.items():
        path = content.root / file
        data = yaml.load(path.read_text(encoding="utf-8"))
        for _fact_id, (key, index) in targets:
            item = data[key][index]
            item["checked"] = date
            if how is not None:
                item["checked_how"] = how.value
            if verified:
                item["verified"] = True
                item.pop("unverified_note", None)
        out = io.StringIO()
        yaml.dump(data, out)
        path.write_text(out.getvalue(), encoding="utf-8")
        changed.append(str(display_path(path)))
    return changed


def write_sheet(
    content: Content, templates: Path, out: Path, due: list[Due], today: datetime.date
) -> list[Path]:
    """Write verify-sheet.pdf and verify-sheet.csv into `out`."""
    from handout.materials import Material
    from handout.pipeline import write_atomically
    from handout.render import Renderer

    sheet = Material("verify-sheet", 11.0, 8.5)
    context = {
        "due": due,
        "today": today.isoformat(),
        "limit": content.project.checked_max_age_months,
    }
    rendered = Renderer(templates).render(sheet, context, "verify-sheet")
    pdf, table = out / "verify-sheet.pdf", out / "verify-sheet.csv"
    write_atomically(pdf, rendered.pdf)
    write_atomically(table, sheet_csv(due))
    return [pdf, table]
