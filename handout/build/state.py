"""What the output folder holds, as the builds that wrote it left it: `.handout-state.json`.

For each variant: its fingerprint (see `plan.plan`), its manifest entry, and each of its
files (PDFs and thumbnails) with the size, modification time and sha256 it was written with.
The gallery page and the manifest are recorded the same way. A rebuild trusts a file only
if it still matches: size and time first (a `stat`, cheap), and the hash when they differ
(a copy or `touch` changes the time, not the bytes). A deleted, truncated or changed file
makes its variant render again, or its page be written again; the state never vouches for
a file that was not written by the build that wrote the state.

Standard library only: the no-op check (`handout.build.inputs`) reads it before anything else is
imported.
"""

from __future__ import annotations

import hashlib
import json
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

STATE = ".handout-state.json"
FORMAT = 2
"""Bumped when the layout changes; a state of another format is treated as absent."""

FileRecord = tuple[int, int, str]
"""A file as written: size in bytes, modification time (ns), sha256."""


@dataclass
class VariantState:
    """One variant in the output folder."""

    fingerprint: str
    entry: dict
    """Its manifest entry."""
    files: dict[str, FileRecord] = field(default_factory=dict)
    """Its PDFs and thumbnails, by path relative to the output folder."""


@dataclass
class State:
    variants: dict[str, VariantState] = field(default_factory=dict)
    files: dict[str, FileRecord] = field(default_factory=dict)
    """Files of the whole folder: the manifest and the gallery page."""


def record_of(path: Path, data: bytes) -> FileRecord:
    """The record of a file just written with `data`."""
    return (len(data), path.stat().st_mtime_ns, hashlib.sha256(data).hexdigest())


def inside(relative: object) -> bool:
    """A path the state may name: relative, inside the output folder."""
    if not isinstance(relative, str) or not relative or "\\" in relative or "\0" in relative:
        return False
    path = PurePosixPath(relative)
    return not path.is_absolute() and ".." not in path.parts


def _file_record(value: object) -> FileRecord | None:
    if (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(part, int) and not isinstance(part, bool) for part in value[:2])
        and isinstance(value[2], str)
    ):
        return (value[0], value[1], value[2])
    return None


def _files(value: object) -> dict[str, FileRecord] | None:
    if not isinstance(value, dict):
        return None
    files = {}
    for relative, raw in value.items():
        record = _file_record(raw)
        if record is None or not inside(relative):
            return None
        files[relative] = record
    return files


def read_state(out_dir: Path) -> State:
    """The output folder's state; an empty one if it is missing, of another format, or not
    a state at all (`[]`, `null`, a string, a folder in its place): the build then checks
    and renders everything, as for a new folder."""
    try:
        data = json.loads((out_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeError, RecursionError):
        return State()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return State()
    state = State(files=_files(data.get("files")) or {})
    variants = data.get("variants")
    for name, raw in (variants if isinstance(variants, dict) else {}).items():
        if not isinstance(raw, dict):
            continue
        fingerprint, entry, files = (
            raw.get("fingerprint"),
            raw.get("entry"),
            _files(raw.get("files")),
        )
        if isinstance(fingerprint, str) and isinstance(entry, dict) and files:
            state.variants[str(name)] = VariantState(fingerprint, entry, files)
    return state


def state_text(state: State) -> str:
    data = {
        "format": FORMAT,
        "variants": {
            name: {
                "fingerprint": variant.fingerprint,
                "entry": variant.entry,
                "files": {path: list(record) for path, record in sorted(variant.files.items())},
            }
            for name, variant in sorted(state.variants.items())
        },
        "files": {path: list(record) for path, record in sorted(state.files.items())},
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def still_there(out_dir: Path, relative: str, record: FileRecord) -> bool:
    """Whether a file looks as written, by `stat` alone (the no-op check)."""
    try:
        found = (out_dir / relative).stat()
    except OSError:
        return False
    size, mtime_ns, _sha256 = record
    return stat.S_ISREG(found.st_mode) and found.st_size == size and found.st_mtime_ns == mtime_ns


def verified(out_dir: Path, relative: str, record: FileRecord) -> FileRecord | None:
    """The file's record if it holds what was written: same size and time, or same size and
    hash (then with its new time); None if it is missing or changed."""
    if still_there(out_dir, relative, record):
        return record
    path = out_dir / relative
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode) or found.st_size != record[0]:
            return None
        if hashlib.sha256(path.read_bytes()).hexdigest() != record[2]:
            return None
    except OSError:
        return None
    return (record[0], found.st_mtime_ns, record[2])


def verified_variant(out_dir: Path, variant: VariantState) -> VariantState | None:
    """The variant's state if every file of it is as written (times refreshed), else None."""
    files = {}
    for relative, record in variant.files.items():
        checked = verified(out_dir, relative, record)
        if checked is None:
            return None
        files[relative] = checked
    return VariantState(variant.fingerprint, variant.entry, files)


def unchanged_since(out_dir: Path, state: State) -> bool:
    """Every file the state records is there, with the size and time it was written with
    (`stat` only: the no-op check must stay fast)."""
    records = [*state.files.items()]
    for variant in state.variants.values():
        records += variant.files.items()
    return all(still_there(out_dir, relative, record) for relative, record in records)
