"""`serve --commit`: each save in the editor is also a git commit naming who made it; and
the name typed in "Your name", which goes into the history, the commit and its message.

A save must never be lost to git, nor leave git in a state the next person inherits:
- While the repository is in the middle of a merge, rebase, cherry-pick, revert or bisect
  (or has unresolved conflicts, or no branch checked out), a commit would fail, or be
  thrown away by `git merge --abort` and the like: the save is refused before anything is
  written (`refusal`), saying what to finish first.
- Nothing is staged that is not committed: a tracked file is committed with `--only`
  (git stages it in its own index and touches the real one only once the commit is made),
  and a new file that was added for its commit is unstaged again if the commit fails.
- A commit that fails anyway (a hook, git missing) is said on the page, not only in the
  terminal: the file is saved, and the page says it is not committed and why.
- The name is checked before anything is written (`name_problem`): one line, no control or
  invisible characters, nothing git refuses or strips, so it cannot end a save half-done,
  leave a file staged, or add a line (a trailer) to the commit message.
"""

from __future__ import annotations

import os
import subprocess
import unicodedata
from pathlib import Path

from handout.content.characters import refused
from handout.editor.security import inside

MAX_NAME = 100
GIT_CRUD = set(".,:;<>\"\\'")
"""What git strips from the ends of a name, and refuses a name made only of."""
IN_PROGRESS = (
    ("MERGE_HEAD", "a merge", "finish it (git commit) or abort it (git merge --abort)"),
    ("rebase-merge", "a rebase", "finish it (git rebase --continue) or abort it (--abort)"),
    ("rebase-apply", "a rebase or git am", "finish it (--continue) or abort it (--abort)"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "finish it (git cherry-pick --continue) or abort it"),
    ("REVERT_HEAD", "a revert", "finish it (git revert --continue) or abort it (--abort)"),
    ("sequencer", "a cherry-pick or revert", "finish it (--continue) or abort it (--abort)"),
    ("BISECT_LOG", "a bisect", "end it (git bisect reset)"),
)
"""Files git keeps while an operation is under way: (file, what, how to end it)."""


def name_problem(name: str) -> str | None:
    """Why `name` (as typed in "Your name") cannot name a change, or None when it can."""
    name = name.strip()
    if not name:
        return None
    if len(name) > MAX_NAME:
        return f"Your name is {len(name)} characters long; write at most {MAX_NAME}"
    for character in name:
        if unicodedata.category(character) in ("Cc", "Zl", "Zp"):
            return (
                f"Your name holds a line break or control character (U+{ord(character):04X}); "
                "write it on one line"
            )
    why = refused(name, "en")
    if why is not None:
        return f"Your name {why}; type it again"
    if "<" in name or ">" in name:
        return "Your name holds < or >, which git cannot keep in a name; leave them out"
    if all(character in GIT_CRUD or character.isspace() for character in name):
        return "Your name holds only punctuation; write your name"
    return None


def _git(
    content_root: Path, *args: str, name: str = "handout editor"
) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": "editor@localhost",
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": "editor@localhost",
    }
    return subprocess.run(
        ["git", *args], cwd=content_root, env=environment, capture_output=True, text=True,
        timeout=30, check=False,
    )  # fmt: skip


def refusal(content_root: Path) -> str | None:
    """Why no save can be made now with `--commit`, or None. A content folder outside any
    git repository (or without git) is no reason: the save is made and the page says it
    was not committed."""
    try:
        found = _git(content_root, "rev-parse", "--git-dir")
        if found.returncode != 0:
            return None
        for marker, what, how in IN_PROGRESS:
            path = _git(content_root, "rev-parse", "--git-path", marker).stdout.strip()
            if path and (content_root / path).exists():
                return (
                    f"the git repository of the content folder is in the middle of {what}; "
                    f"{how}, then save again. Nothing was saved, so that the change cannot be "
                    "thrown away with it"
                )
        if _git(content_root, "ls-files", "--unmerged").stdout.strip():
            return (
                "the git repository of the content folder has unresolved conflicts; resolve "
                "them (git status lists them) and commit, then save again. Nothing was saved"
            )
        if _git(content_root, "symbolic-ref", "-q", "HEAD").returncode != 0:
            return (
                "the git repository of the content folder has no branch checked out (a "
                "detached HEAD), so a commit would be lost at the next checkout; check out a "
                "branch (git switch main), then save again. Nothing was saved"
            )
    except (OSError, subprocess.SubprocessError):
        return None
    return None


def commit(content_root: Path, file: str, who: str, what: str) -> str | None:
    """Commit one saved file; None when done, else why not (nothing is left staged)."""
    name = who.strip() or "handout editor"
    path = str(inside(content_root, file))
    message = " ".join(f"{what} (in the editor, by {name})".split())
    try:
        tracked = _git(content_root, "ls-files", "--error-unmatch", "--", path).returncode == 0
        if not tracked:
            added = _git(content_root, "add", "--", path)
            if added.returncode != 0:
                return added.stderr.strip() or "git add failed"
        done = _git(
            content_root, "commit", "--quiet", "--only", "-m", message, "--", path, name=name
        )
        if done.returncode != 0:
            if not tracked:
                _git(content_root, "rm", "--cached", "--quiet", "--", path)
            return (done.stderr or done.stdout).strip() or "git commit failed"
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)
    return None
