"""Import resource records from an Open Referral HSDS 3.0 data set (a service directory).

Many regions keep their services in an HSDS data set, published as JSON (organizations or
services with their phones, schedules, locations and languages nested inside) or as a
Tabular Data Package (one CSV file per object, described by `datapackage.json`).
`python build.py import-hsds PATH --region ID` turns it into this project's records:

- Both formats are first read into the same tables (one list of rows per HSDS object, with
  the foreign keys filled in), so both give the same records.
- Each active service becomes one record; an organization without services becomes one too.
  Everything the model cannot hold is reported, naming the HSDS object, its id and the field.
- The records go into their own file, `resources/hsds-<region>.yaml`, and the region's
  `include:` list. Each record is written under a `# from HSDS ...` line holding a fingerprint
  of what was written: a record whose content no longer matches it was changed by hand, and
  the next import refuses to overwrite it (or a hand-written record with the same id in
  another file) unless told `--force`.
- Nothing is written unless the content, with the import applied, still validates.

The work is done in four steps: `read` (both formats into the same tables, a `DataSet`, by
`read_json` or `read_package`), `check` (what HSDS 3.0 requires), `mapping` (HSDS objects to
records, with notes for what does not fit; each record's phones, hours, languages and address
in `record_fields`, schedules in words in `hours`) and `write` (the import file, the region's
include list, the hand-edit check). This module runs them in order.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from handout.content.asked import id_asked
from handout.content.errors import ContentErrors, Problem, UserError, display_path
from handout.content.files import Seen, write_all
from handout.content.lock import content_lock
from handout.content.read import Content
from handout.hsds import version
from handout.hsds.areas import AreaChoice
from handout.hsds.check import LINKS, check_dataset
from handout.hsds.dataset import KINDS, DataSet, ImportErrors, Paging
from handout.hsds.fetch import fetch_pages, is_url
from handout.hsds.mapping import Mapped, Mapper
from handout.hsds.read import read_dataset
from handout.hsds.record_fields import Note, grouped_notes
from handout.hsds.rows import Row
from handout.hsds.write import (
    assign_ids,
    carried,
    find_conflicts,
    import_file_text,
    merge_checks,
    read_import_file,
    records_part,
    region_text,
    same_record,
    validate_with,
    without_records,
)
from handout.layout.printable import record_refusals

__all__ = ["Outcome", "import_hsds"]


@dataclass
class Outcome:
    """What an import did (or, with dry_run, would do), for the report."""

    source: str
    target: Path
    region_id: str
    region_file: Path
    ids: list[str]
    new: list[str]
    changed: list[str]
    removed: list[str]
    overwritten: list[str]
    notes: list[Note]
    other: list[str]
    undated: int
    written: bool
    paging: Paging | None = None
    kept: list[str] = field(default_factory=list)
    files: int = 1
    version: str | None = None
    fetched: list[str] = field(default_factory=list)
    """Where the pages of a live API came from, when a redirect led to another host."""
    booklet_max_pages: int | None = None
    """The most pages the region's booklet may have (`print.booklet_max_pages`)."""
    read_notes: list[str] = field(default_factory=list)
    """How the files were found (a folder without datapackage.json, a file beside it), and
    which services were chosen by the areas they serve (`--service-area`)."""

    def report(self) -> str:
        count = len(self.ids) - len(self.kept)
        unchanged = count - len(self.new) - len(self.changed)
        verb = "Imported" if self.written else "Would import (dry run)"
        lines = [
            f"{verb} {count} record{'s' if count != 1 else ''} from {self.source}"
            + (f" ({self.files} files)" if self.files > 1 else ""),
            f"  into {display_path(self.target)}: {len(self.new)} new, {len(self.changed)} "
            f"changed, {unchanged} unchanged, {len(self.removed)} removed.",
        ]
        lines += [f"  {note}" for note in self.fetched]
        if self.paging is not None:
            lines.append(self._paging_line(self.paging))
        lines += self._version_lines()
        if self.undated:
            one = self.undated == 1
            lines.append(
                f"  {self.undated} of them {'has' if one else 'have'} no date in the data set, so "
                f"{'it prints' if one else 'they print'} as not confirmed until someone checks "
                f"(python build.py verify-sheet lists {'it' if one else 'them'})."
            )
        if self.removed:
            lines.append(f"  Removed (no longer in the data set): {', '.join(self.removed)}.")
        if self.overwritten:
            lines.append(
                f"  Overwrote hand-written records (--force): {', '.join(self.overwritten)}."
            )
        lines.append(
            f"Region {self.region_id} includes them ({display_path(self.region_file)}), so they "
            "print in its booklet; to put one on a card or the flyer, add its id there."
        )
        lines += self._length_lines()
        count = len(self.notes) + len(self.other)
        if count:
            lines.append(f"Could not map {count} thing{'s' if count != 1 else ''}:")
            lines += [f"  {line}" for line in grouped_notes(self.notes)]
            lines += [
                f"  {item}: not imported; handout has no place for them" for item in self.other
            ]
        else:
            lines.append("Everything in the data set was mapped.")
        if not self.written:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)

    def _length_lines(self) -> list[str]:
        """New records make the booklet longer, and it has a page limit: say so, and what
        to do, before the build fails on it."""
        if not self.new or self.booklet_max_pages is None:
            return []
        return [
            f"  Each new record makes the {self.region_id} booklet longer, and a booklet may "
            f"have at most {self.booklet_max_pages} pages (print.booklet_max_pages in "
            "project.yaml). Build it to see: python build.py --region "
            f"{self.region_id} --material booklet. If it is too long, raise that limit, or "
            "import fewer records (--service-area PLACE)."
        ]

    def _version_lines(self) -> list[str]:
        """Which HSDS version was read, and how; and how the files were found."""
        found = [f"  {note}" for note in self.read_notes]
        if not self.version:
            return found
        if version.is_older(self.version):
            said = (
                f"  The data set is HSDS {self.version} (older than 3.0): its tables and field "
                "names were read as their 3.0 equivalents."
            )
        elif version.is_newer(self.version):
            newest = ".".join(str(part) for part in version.NEWEST)
            said = (
                f"  The data set is HSDS {self.version}, newer than this import knows "
                f"({newest}): it was read as {newest}, and any field it adds is listed below "
                "as not imported."
            )
        else:
            said = f"  The data set is HSDS {self.version}."
        return [said, *found]

    def _paging_line(self, paging: Paging) -> str:
        if paging.complete:
            return f"  The data set is an API's output, {paging}: all of it was imported."
        kept = len(self.kept)
        earlier = (
            f"the {kept} record{'s' if kept != 1 else ''} imported earlier from other pages "
            f"{'is' if kept == 1 else 'are'} kept, and "
            if kept
            else ""
        )
        return (
            f"  The data set is {paging} of an API's output, not all of it: {earlier}no record "
            "is removed. To import the whole directory, save every page and give all the files "
            "at once."
        )


def default_source(data: DataSet) -> str:
    """The package's title, else the file (or package folder) name."""
    package = data.path.name == "datapackage.json"
    return f"HSDS data set: {data.title or (data.path.parent.name if package else data.path.name)}"


def import_hsds(
    content_dir: Path,
    dataset: Path | str,
    region_id: str,
    *,
    force: bool = False,
    source: str | None = None,
    today: datetime.date | None = None,
    dry_run: bool = False,
    strict: bool = False,
    more: list[Path] | None = None,
    timeout: float = 30.0,
    time_limit: float = 1800.0,
    service_areas: list[str] | None = None,
) -> Outcome:
    """Read, check and map the data set, then write the region's import file and include
    list, after making sure the content with the import applied still validates."""
    today = today or datetime.date.today()
    if isinstance(dataset, str) and is_url(dataset):
        if more:
            raise UserError("give one URL, or files; not both")
        data, fetched_notes = _read_url(dataset, timeout, time_limit)
        source = source or f"HSDS API: {dataset}"
    else:
        data, fetched_notes = read_dataset(Path(dataset), more), []
    dangling = check_dataset(data, strict=strict)
    for row, name, _value in dangling:
        del row.values[name]  # imported without the link; reported below
    source = " ".join((source or default_source(data)).split())
    seen = Seen(content_dir)  # before the content is read: see `_write_changed`
    content = _load_content(content_dir)
    names = {ident: [str(each.name)] for ident, each in sorted(content.regions.items())}
    region_id = id_asked(
        "region", region_id, names, more=" (to add one, see the README: Recipe: add a region)"
    )
    language, project = content.project.source_language, content.project
    areas = AreaChoice(list(service_areas or []))
    mapper = Mapper(
        data, source, today, lambda record: record_refusals(record, language, project), areas
    )
    _note_duplicates(mapper, data)
    for row, name, value in dangling:
        mapper.note(
            row,
            name,
            f"is `{value}`, but the data set has no {LINKS[name]} with that id; imported "
            "without it (--strict refuses the data set instead)",
        )
    records = mapper.records()
    if not records:
        raise UserError(
            f"{display_path(data.path)}: nothing to import (no active service and no organization "
            "without services)"
        )
    target = content_dir / "resources" / f"hsds-{region_id}.yaml"
    earlier = read_import_file(target)
    kept: list[Mapped] = []
    if data.paging is not None and not data.paging.complete:
        kept = carried(earlier, records)  # the other pages' records stay
        records = sorted(
            records + kept, key=lambda item: (item.record["name"].casefold(), item.hsds_id)
        )
    ids = assign_ids(records, earlier)
    merge_checks(records, ids, earlier)
    conflicts, elsewhere = find_conflicts(content, target, records, ids, earlier, region_id)
    if conflicts and not force:
        raise _refusal(conflicts)
    region_file = content_dir / "regions" / f"{region_id}.yaml"
    removed = [item.id for item in earlier if item.id not in ids]
    text = _import_text(target, import_file_text(region_id, source, today, records, ids))
    files = {target: text, region_file: region_text(region_file, ids, set(removed))}
    for file, moved in elsewhere.items():
        files[content_dir / file] = without_records(content_dir / file, moved)
    validate_with(content_dir, files)
    if not dry_run:
        _write_changed(content_dir, files, seen)
    by_id = {item.id: item for item in earlier}
    kept_keys = {item.key for item in kept}
    return Outcome(
        source=source,
        target=target,
        region_id=region_id,
        region_file=region_file,
        ids=ids,
        new=[rid for rid in ids if rid not in by_id],
        changed=[
            rid
            for item, rid in zip(records, ids, strict=True)
            if rid in by_id
            and item not in kept
            and not same_record({"id": rid, **item.record}, by_id[rid].data)
        ],
        removed=removed,
        overwritten=[record_id for record_id, _problem in conflicts] if force else [],
        notes=sorted(mapper.notes, key=lambda note: (KINDS.index(note.kind), note.label, note.id)),
        other=data.other,
        undated=sum(not item.dated for item in records if item.key not in kept_keys),
        written=not dry_run,
        paging=data.paging,
        kept=[rid for item, rid in zip(records, ids, strict=True) if item.key in kept_keys],
        files=data.files,
        version=data.version,
        fetched=fetched_notes,
        read_notes=data.notes + areas.report(),
        booklet_max_pages=content.project.print.booklet_max_pages,
    )


def _read_url(url: str, timeout: float, time_limit: float) -> tuple[DataSet, list[str]]:
    """The pages of a live HSDS API, read as the files of one data set, and what the report
    must say about where they came from (another host a redirect led to)."""
    with tempfile.TemporaryDirectory(prefix="handout-hsds-api-") as scratch:
        fetched = fetch_pages(url, Path(scratch), timeout=timeout, time_limit=time_limit)
        return read_dataset(fetched.files[0], fetched.files[1:]), fetched.notes


def _note_duplicates(mapper: Mapper, data: DataSet) -> None:
    """One report line per id used by different objects: how many, where, which was kept."""
    left_out: dict[tuple[str, str], list[Row]] = {}
    kept: dict[tuple[str, str], Row] = {}
    for first, other in data.duplicates:
        kept.setdefault((first.kind, first.id), first)
        left_out.setdefault((first.kind, first.id), []).append(other)
    for key, others in left_out.items():
        first = kept[key]
        places = [_place(row) for row in others]
        shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
        count = len(others) + 1
        mapper.note(
            first,
            "id",
            f"{count} different objects have this id; kept the first ({_place(first)}"
            f"{f', {first.label}' if first.label else ''}), left out the other"
            f"{'s' if len(others) > 1 else ''} ({shown})",
        )


def _place(row: Row) -> str:
    """Where a row is: `services.csv line 4`, or its place in the JSON (`contents[3]`)."""
    if row.line is not None:
        return f"{row.file.name} line {row.line}"
    return row.path or row.file.name


def _load_content(content_dir: Path) -> Content:
    """The content the import goes into; it must be valid."""
    from handout.content.load import load

    try:
        content = load(content_dir)
    except ContentErrors as error:
        raise ImportErrors(
            error.problems,
            "the content has problems; fix them first (nothing was imported):",
        ) from error
    return content


def _refusal(conflicts: list[tuple[str, Problem]]) -> ImportErrors:
    """Why the import stops without --force: the records it would overwrite."""
    count = len(conflicts)
    return ImportErrors(
        [problem for _record_id, problem in conflicts],
        f"the import would overwrite {count} record{'s' if count != 1 else ''} "
        "written or changed by hand; nothing was written (run again with --force to "
        "overwrite them):",
    )


def _import_text(target: Path, text: str) -> str:
    """The import file's new text; when its records did not change, the earlier file (and the
    date in its header) is kept."""
    if target.is_file() and records_part(target.read_text(encoding="utf-8")) == records_part(text):
        text = target.read_text(encoding="utf-8")  # nothing changed: keep the earlier date
    return text


def _write_changed(content_dir: Path, files: dict[Path, str], seen: Seen) -> None:
    """Write the files whose text differs, as one set, with the content folder locked, and
    only if none changed since the import started (`seen`): a record saved in the editor
    meanwhile is never overwritten by the import's older copy of that file."""
    changed_files = [
        (path, text)
        for path, text in files.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    with content_lock(content_dir):
        write_all(
            changed_files,
            {path: seen.was(path) for path, _text in changed_files},
            nothing="nothing was imported",
        )
