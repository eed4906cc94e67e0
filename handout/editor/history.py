"""Every save kept in a short log (who, what, when), so a change can be undone.

The log is `editor-history.jsonl` in the output folder (not the content folder, whose
every change starts a build). Each line holds the file's text before the save and the hash
of the text after it: a change is undone only while the file is still as that save left
it, so undoing never throws away a later edit. The log is only appended to
(`handout.content.files.append_line`): the earlier lines are never rewritten.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from handout.content.files import Changed, append_line, write
from handout.editor.records import digest
from handout.editor.security import inside

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
    record(out, who, f"undo #{number}", change.file, now, change.before)
    return None


def commit(content_root: Path, file: str, who: str, what: str) -> str | None:
    """Commit one saved file in the content folder's git repository (`serve --commit`);
    returns why not, when it could not (no repository, git missing or failing)."""
    name = who.strip() or "handout editor"
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": "editor@localhost",
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": "editor@localhost",
    }
    path = inside(content_root, file)
    steps = (
        ["git", "add", "--", str(path)],
        ["git", "commit", "--quiet", "-m", f"{what} (in the editor, by {name})", "--", str(path)],
    )
    for step in steps:
        try:
            subprocess.run(
                step, cwd=content_root, env=environment, check=True, capture_output=True,
                text=True, timeout=30,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError) as error:
            detail = getattr(error, "stderr", "") or str(error)
            print(f"warning: the save was not committed to git: {detail.strip()}", flush=True)
            return detail
    return None
