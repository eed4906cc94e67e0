"""Every save kept in a short log (who, what, when), so a change can be undone.

The log is `editor-history.jsonl` in the output folder (not the content folder, whose
every change starts a build). Each line holds the file's text before the save and the hash
of the text after it: a change is undone only while the file is still as that save left
it, so undoing never throws away a later edit.

The log is only ever appended to (`handout.content.files.append_line`): a line cut short
(a crash, a full disk) is skipped and reported, and the next save starts on a line of its
own, so one damaged line never takes the history or Undo with it. A change is numbered by
its line, which never changes.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from handout.content.files import Changed, WriteFailed, append_line, write
from handout.editor.records import digest
from handout.editor.security import inside

LOG = "editor-history.jsonl"
UNDO = "undo #"
"""How an undo names the change it undid, followed by what that change was in words
(`undo #3: changed resource ct-legal-services`)."""


@dataclass(frozen=True)
class Change:
    number: int
    when: str
    who: str
    what: str
    file: str
    before: str
    after_hash: str
    undone: bool = False

    def words(self, earlier: dict[int, Change]) -> str:
        """What the change did, as the history page says it: an undo says what it undid
        (from the change itself, for a log written before undos named it)."""
        number = self.undoes
        if number is None:
            return self.what
        target = earlier.get(number)
        undone = target.words(earlier) if target is not None else self.what.split(":", 1)[-1]
        return f"Undid “{undone.strip()}” (change #{number})"

    @property
    def undoes(self) -> int | None:
        """The number of the change this one undid, if it is an undo."""
        if not self.what.startswith(UNDO):
            return None
        number = self.what.removeprefix(UNDO).split(":", 1)[0].strip()
        return int(number) if number.isdigit() else None


@dataclass
class Log:
    """The history as read: its changes (oldest first) and the lines that could not be
    read (their numbers, from 1 as an editor shows them)."""

    changes: list[Change] = field(default_factory=list)
    damaged: list[int] = field(default_factory=list)


FIELDS = ("when", "who", "what", "file", "before", "after_hash")


def read_log(out: Path) -> Log:
    """Every change logged, each marked undone when it is, and the damaged lines skipped.

    The file is split at line feeds only: a saved text may hold other line separators
    (U+2028, a form feed), which the JSON of a line keeps as they are."""
    path = out / LOG
    log = Log()
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return log
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict) or sorted(entry) != sorted(FIELDS):
                raise ValueError(line)
            if not all(isinstance(entry[name], str) for name in FIELDS):
                raise ValueError(line)
        except ValueError:
            log.damaged.append(number + 1)
            continue
        log.changes.append(Change(number=number, **entry))
    log.changes = _marked_undone(log.changes)
    return log


def _marked_undone(found: list[Change]) -> list[Change]:
    """Which changes are undone, in the order they happened: an undo undoes its change; an
    undo undone (a redo) puts its change back, and so on down the chain."""
    by_number = {change.number: change for change in found}
    undone: dict[int, bool] = {}

    def set_undone(number: int, value: bool) -> None:
        undone[number] = value
        target = by_number[number].undoes if number in by_number else None
        if target is not None and target in by_number:
            set_undone(target, not value)  # an undo in effect undoes its change

    for change in found:
        undone[change.number] = False
        if change.undoes is not None and change.undoes in by_number:
            set_undone(change.undoes, True)
    return [
        Change(**{**change.__dict__, "undone": undone.get(change.number, False)})
        for change in found
    ]


def changes(out: Path) -> list[Change]:
    """Every change logged, newest first (damaged lines left out: see `read_log`)."""
    return read_log(out).changes[::-1]


def record(out: Path, who: str, what: str, file: str, before: str, after: str) -> None:
    """Log one save (appended: the earlier lines are never rewritten)."""
    entry = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "who": who.strip() or "someone",
        "what": what,
        "file": file,
        "before": before,
        "after_hash": digest(after),
    }
    append_line(out / LOG, json.dumps(entry, ensure_ascii=False))


def why_not_undone(changes: list[Change], content_root: Path) -> dict[int, str | None]:
    """Each change's number -> why it cannot be undone now (shown instead of its Undo
    button), or None. Each file is read once, however many changes it has."""
    now: dict[str, str | None] = {}
    for file in {change.file for change in changes}:
        try:
            now[file] = digest(inside(content_root, file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            now[file] = None
    blocked: dict[int, str | None] = {}
    for change in changes:
        if change.undone:
            blocked[change.number] = "undone"
        elif now[change.file] is None:
            blocked[change.number] = f"{change.file} is gone"
        elif now[change.file] != change.after_hash:
            blocked[change.number] = "changed again since: undo the later changes first"
        else:
            blocked[change.number] = None
    return blocked


def undo(out: Path, content_root: Path, number: int, who: str) -> str | None:
    """Put the file of change `number` back as it was; None when done, else why not.
    Called with the content folder locked (`handout.content.lock`)."""
    found = {change.number: change for change in changes(out)}
    change = found.get(number)
    if change is None:
        return "there is no such change"
    if change.undone:
        return "this change was already undone"
    path = inside(content_root, change.file)
    now = path.read_text(encoding="utf-8")
    if digest(now) != change.after_hash:
        return f"{change.file} was changed again after this change; undo the later changes first"
    try:
        write(path, change.before, was=now)
    except Changed:
        return f"{change.file} was changed again just now; undo the later changes first"
    try:
        record(out, who, f"{UNDO}{number}: {change.what}", change.file, now, change.before)
    except WriteFailed:
        write(path, now, was=change.before)  # an undo nobody could see is not made
        raise
    return None
