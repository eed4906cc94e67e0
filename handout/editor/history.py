"""Every save kept in a short log (who, what, when), so a change can be undone.

The log is `editor-history.jsonl` in the output folder (not the content folder, whose
every change starts a build). Each line holds the file's text before the save and the hash
of the text after it: a change is undone only while the file is still as that save left
it, so undoing never throws away a later edit.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from handout.editor.records import digest
from handout.editor.security import inside, write_text_atomic

LOG = "editor-history.jsonl"


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


def changes(out: Path) -> list[Change]:
    """Every change logged, newest first."""
    path = out / LOG
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            found.append(Change(number=number, **json.loads(line)))
    undone = {
        int(change.what.split("#", 1)[1]) for change in found if change.what.startswith("undo #")
    }
    return [Change(**{**change.__dict__, "undone": change.number in undone}) for change in found][
        ::-1
    ]


def record(out: Path, who: str, what: str, file: str, before: str, after: str) -> None:
    """Log one save."""
    out.mkdir(parents=True, exist_ok=True)
    entry = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "who": who.strip() or "someone",
        "what": what,
        "file": file,
        "before": before,
        "after_hash": digest(after),
    }
    with (out / LOG).open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def undo(out: Path, content_root: Path, number: int, who: str) -> str | None:
    """Put the file of change `number` back as it was; None when done, else why not."""
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
    write_text_atomic(path, change.before)
    record(out, who, f"undo #{number}", change.file, now, change.before)
    return None
