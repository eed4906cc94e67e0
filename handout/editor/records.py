"""Records and laws as the editor sees them: the list with each one's check status, the
record's place in its file, and saving an edited record with the command line's checks."""

from __future__ import annotations

import datetime
import difflib
import fnmatch
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from handout.content import yaml_edit
from handout.content.errors import ContentErrors, Problem, field_words
from handout.content.files import scratch_copy, write
from handout.content.freshness import facts_with_places, months_between
from handout.content.models import Law, Resource
from handout.content.read import Content, explain
from handout.content.recheck import DUE_AHEAD_MONTHS
from handout.content.validate import region_resource_ids
from handout.content.yaml_file import Location, YamlFile
from handout.editor import forms
from handout.editor.security import inside
from handout.layout.materials import MATERIALS
from handout.layout.printable import record_refusals

MODELS: dict[str, type[BaseModel]] = {"resource": Resource, "law": Law}


def digest(text: str) -> str:
    """The version of a file a form was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One line of the records list."""

    kind: str  # resource or law
    id: str
    name: str
    file: str
    checked: datetime.date
    status: str  # unverified, due or fine
    numbers: str


def status(fact: Any, content: Content, today: datetime.date) -> str:
    """unverified, due (as the re-check sheet counts it) or fine."""
    if not fact.verified:
        return "unverified"
    limit = content.project.checked_max_age_months
    return "due" if months_between(fact.checked, today) >= limit - DUE_AHEAD_MONTHS else "fine"


def entries(content: Content, today: datetime.date, query: str = "") -> list[Entry]:
    """Every record and law, those matching `query` (in id, name, numbers, file)."""
    found = []
    for place, fact in facts_with_places(content):
        kind = place.split(":", 1)[0]
        name = fact.name if isinstance(fact, Resource) else f"{fact.title} ({fact.statute})"
        numbers = (
            ", ".join(dict.fromkeys(p.number for p in fact.phones))
            if isinstance(fact, Resource)
            else ""
        )
        entry = Entry(
            kind, fact.id, name, content.places[place][0], fact.checked,
            status(fact, content, today), numbers,
        )  # fmt: skip
        haystack = " ".join((entry.id, entry.name, entry.numbers, entry.file)).casefold()
        if all(word in haystack for word in query.casefold().split()):
            found.append(entry)
    return found


@dataclass
class Place:
    """Where a record is written: its file (inside the content folder) and location."""

    kind: str
    id: str
    file: str
    path: Path
    location: Location

    @property
    def model(self) -> type[BaseModel]:
        return MODELS[self.kind]


def place_of(content: Content, kind: str, record_id: str) -> Place | None:
    if kind not in MODELS or f"{kind}:{record_id}" not in content.places:
        return None
    file, location = content.places[f"{kind}:{record_id}"]
    return Place(kind, record_id, file, inside(content.root, file), location)


def printed_by(content: Content, place: Place) -> tuple[tuple[str, str, str], ...]:
    """The variants (region, language, material) that may print this record, likeliest to
    be looked at first: in the source language, each region that shows it, its pocket card
    first. (`serve` renders the first of them that changed before the others.)"""
    regions = sorted(content.regions)
    if place.kind == "resource":
        regions = [name for name in regions if place.id in region_resource_ids(content, name)]
    language = content.project.source_language
    return tuple((region, language, material) for region in regions for material in MATERIALS)


def record_data(place: Place, text: str) -> dict[str, Any]:
    """The record as written in its file (plain values)."""
    return yaml_edit.plain(yaml_edit.at(yaml_edit.load(text), place.location))


def changed_fields(place: Place, before: str, after: str) -> str:
    """The fields a save changed, as the form labels them ("Phone 1, number; Hours"), for
    the history page: "changed resource x" alone does not say what to look for."""
    try:
        old, new = record_data(place, before), record_data(place, after)
    except (LookupError, TypeError, ValueError):  # the record moved: say nothing rather
        return ""
    names = [name for name in dict.fromkeys([*old, *new]) if old.get(name) != new.get(name)]
    return "; ".join(forms.field_label(name) for name in names[:4]) + (
        f" and {len(names) - 4} more" if len(names) > 4 else ""
    )


@dataclass
class Outcome:
    """What saving a form came to: saved, refused with errors, or a conflict."""

    errors: dict[str, str] = field(default_factory=dict)
    """Field name -> message (with its fix), shown next to the field."""
    problems: list[Problem] = field(default_factory=list)
    """Problems across files (another file's reference broken): shown in the summary."""
    conflict: str = ""
    """The other person's change (a diff), when the file changed since the form was made."""
    new_text: str = ""
    changed: bool = False
    before: str = ""
    """The file's text the new text was made from: it is written only over that text."""

    @property
    def ok(self) -> bool:
        return not (self.errors or self.problems or self.conflict)


def field_errors(
    model: type[BaseModel], data: dict[str, Any], place: Place, content: Content
) -> dict[str, str]:
    """The model's errors for `data`, worded as the command line words them, and what the
    build would refuse in its texts (a character that reorders or cannot print, an editors'
    word), each at its field: the save must not leave what the next build stops on."""
    found: dict[str, str] = {}
    project = content.project
    for location, why in record_refusals(data, project.source_language, project):
        while location and isinstance(location[-1], int):  # a line of a list field
            location = location[:-1]
        found.setdefault(forms.error_name(location), f"This text {why}")
    try:
        model.model_validate(data)
    except ValidationError as error:
        source = YamlFile(place.path, data)
        for detail in error.errors():
            loc = tuple(detail["loc"])
            problem = explain(model, detail, source, ())
            if detail["type"] == "missing":
                message = f"{forms.label_of(str(loc[-1]))} is missing: it is required"
            else:
                message = _without_place(problem.message, loc)  # the field says which
                message += f". Fix: {problem.fix}" if problem.fix else ""
            found.setdefault(forms.error_name(loc), message)
    return found


def _without_place(message: str, loc: tuple[str | int, ...]) -> str:
    """The command line's message without the field's place ("the first phone's number: ",
    "`checked`: "): beside its field the place goes without saying."""
    place = field_words(loc) + ": "
    if message.startswith(place):
        return message[len(place) :]
    return re.sub(r"^`[^`]*`: ", "", message)


def content_problems(content_root: Path, file: str, new_text: str) -> list[Problem]:
    """Every problem the command line would report with `file` changed to `new_text`:
    the whole content is checked in a copy (references between files included), and so is
    every character of its texts against the shipped fonts, as a build checks them."""
    from handout.content.load import load
    from handout.layout.glyphs import missing_glyphs

    with tempfile.TemporaryDirectory(prefix="handout-editor-") as scratch:
        copy = Path(scratch) / "content"
        scratch_copy(content_root, copy, ignore=shutil.ignore_patterns("locale"))
        write(copy / file, new_text)
        try:
            found = missing_glyphs(load(copy), Path(scratch), {})  # no templates in scratch
        except ContentErrors as error:
            found = error.problems
        prefix = str(copy.resolve())
        real = str(content_root)
        return [
            Problem(
                Path(str(problem.file).replace(prefix, real)),
                problem.message.replace(prefix, real),
                problem.fix,
                problem.line,
                problem.column,
            )
            for problem in found
        ]


def conflict_diff(before: str | None, now: str, file: str) -> str:
    """What someone else changed in `file` since the form was made."""
    if before is None:
        return f"{file} was changed since this form was opened (the earlier version is gone)."
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        now.splitlines(keepends=True),
        f"{file} (when you opened the form)",
        f"{file} (now)",
    )
    return "".join(lines)


def check_save(
    content: Content, place: Place, values: forms.Values, form_hash: str, before: str | None
) -> Outcome:
    """Validate an edited record; when valid, the file's new text (not yet written).

    `before` is the file's text when the form was made (for showing a conflict)."""
    text = place.path.read_text(encoding="utf-8")
    if digest(text) != form_hash:
        return Outcome(conflict=conflict_diff(before, text, place.file))
    data = forms.parse(place.model, values)
    data["id"] = place.id
    errors = field_errors(place.model, data, place, content)
    if errors:
        return Outcome(errors=errors)
    new_text = yaml_edit.replace_record(text, place.location, data)
    if new_text == text:
        return Outcome(new_text=text, before=text)
    problems = content_problems(content.root, place.file, new_text)
    if problems:
        return Outcome(problems=problems)
    return Outcome(new_text=new_text, changed=True, before=text)


FILES_OF: dict[str, str] = {"resource": "records", "law": "laws"}
"""Each kind's list key in its files."""


def is_imported(file: str) -> bool:
    """Whether `file` is one `import-hsds` writes (`resources/hsds-<region>.yaml`): the next
    import replaces its records, and refuses while one was changed by hand."""
    return fnmatch.fnmatchcase(file, "resources/hsds-*.yaml")


def files_for(content: Content, kind: str) -> list[str]:
    """The content files a new record of `kind` may be added to: not an import's file (a
    record added there would stop the next import)."""
    if kind == "resource":
        return sorted(
            name
            for name in content.files
            if name.startswith("resources/") and not is_imported(name)
        )
    return ["laws.yaml"] if kind == "law" else []


def check_add(content: Content, kind: str, file: str, values: forms.Values) -> Outcome:
    """Validate a new record; when valid, its file's new text with the record at the end."""
    model = MODELS[kind]
    path = inside(content.root, file)
    text = path.read_text(encoding="utf-8")
    if digest(text) != values.get("_hash"):
        return Outcome(conflict=conflict_diff(None, text, file))
    data = forms.parse(model, values)
    errors = field_errors(model, data, Place(kind, "", file, path, ()), content)
    if errors:
        return Outcome(errors=errors)
    new_text = yaml_edit.with_item(text, (FILES_OF[kind],), data)
    problems = content_problems(content.root, file, new_text)
    if problems:
        return Outcome(problems=problems)
    return Outcome(new_text=new_text, changed=True, before=text)


def check_delete(content: Content, place: Place, text: str | None = None) -> Outcome:
    """The file (`text`, else as it is now) without the record, unless something still
    uses it: then the command line's problems with it gone (each names the region or
    section that uses it)."""
    text = place.path.read_text(encoding="utf-8") if text is None else text
    new_text = yaml_edit.without_item(text, place.location)
    problems = content_problems(content.root, place.file, new_text)
    if problems:
        return Outcome(problems=problems)
    return Outcome(new_text=new_text, changed=True, before=text)


@dataclass(frozen=True)
class User:
    """Something that still uses a record, as the delete page names it."""

    what: str
    where: str
    link: str = ""


def users_of(
    problems: list[Problem], content_root: Path, region_names: dict[str, str]
) -> list[User]:
    """The problems a deletion would cause, as the places that use the record: one entry
    per file, with its lines and, for a region, a link to its cards-and-flyer page."""
    lines: dict[str, list[int]] = {}
    other: list[User] = []
    for problem in problems:
        try:
            file = Path(problem.file).resolve().relative_to(content_root.resolve()).as_posix()
        except ValueError:
            file = str(problem.file)
        if "no record has the id" not in problem.message:
            other.append(User(problem.message, file))
            continue
        lines.setdefault(file, [])
        if problem.line is not None:
            lines[file].append(problem.line)
    users = []
    for file, numbers in lines.items():
        listed = [str(number) for number in sorted(set(numbers))]
        if len(listed) > 1:
            where = f"{file}, lines {', '.join(listed[:-1])} and {listed[-1]}"
        else:
            where = f"{file}, line {listed[0]}" if listed else file
        if file.startswith("regions/"):
            region = Path(file).stem
            name = region_names.get(region, region)
            users.append(User(f"The cards, flyer or booklet of {name}", where,
                              f"/edit/layout/{region}"))  # fmt: skip
        elif file == "sections.yaml":
            users.append(User("A booklet section", where))
        else:
            users.append(User("Another record", where))
    return users + other
