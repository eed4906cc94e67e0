"""Issue 21, items 5 and 15: `serve --commit` against a real git repository. In the middle
of a merge, rebase, cherry-pick, revert or bisect a save is refused before anything is
written (the old way staged it, said "Saved", and `git merge --abort` threw it away); a
commit that fails is said on the page and leaves nothing staged; a name git cannot take,
or one that would add a line to the commit message, is refused before anything is written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handout.editor import commits
from handout.editor.app import Site
from tests.editor.test_records import POLICE, opened

ENVIRONMENT = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t", "GIT_EDITOR": "true",
}  # fmt: skip


def git(folder: Path, *args: str, check: bool = True) -> str:
    result = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, env=ENVIRONMENT, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result.stdout


def commit_line(folder: Path, line: str, message: str) -> None:
    """Commit `line` as the whole of notes.txt, a file of the content folder that the
    content does not read (so a conflict in it leaves the content loadable)."""
    (folder / "notes.txt").write_text(line + "\n", encoding="utf-8")
    git(folder, "add", "notes.txt")
    git(folder, "commit", "--quiet", "-m", message)


def repository(folder: Path) -> None:
    git(folder, "init", "--quiet", "--initial-branch", "main")
    git(folder, "add", ".")
    git(folder, "commit", "--quiet", "-m", "start")


def busy(folder: Path, operation: str) -> None:
    """Put the repository in the middle of `operation`, stopped on a real conflict in
    notes.txt (a file the test's save does not touch)."""
    (folder / "notes.txt").write_text("base\n", encoding="utf-8")
    repository(folder)
    if operation == "bisect":
        git(folder, "bisect", "start")
        return
    git(folder, "switch", "--quiet", "-c", "other")
    commit_line(folder, "theirs", "theirs")
    git(folder, "switch", "--quiet", "main")
    commit_line(folder, "ours", "ours")
    if operation == "revert":
        commit_line(folder, "ours, again", "ours again")
        command = ["revert", "--no-edit", "HEAD~1"]
    else:
        command = {"merge": ["merge", "other"], "cherry-pick": ["cherry-pick", "other"],
                   "rebase": ["rebase", "other"]}[operation]  # fmt: skip
    result = subprocess.run(["git", *command], cwd=folder, capture_output=True, env=ENVIRONMENT)
    assert result.returncode != 0, "the operation stopped on its conflict"


def save_police(web: TestClient, where: Site, who: str = "Dana"):  # type: ignore[no-untyped-def]
    values = opened(web, where)
    values["phones.0.number"] = "(860) 355-3134"
    values["_who"] = who
    return web.post(POLICE, data=values)


@pytest.mark.parametrize("operation", ["merge", "rebase", "cherry-pick", "revert", "bisect"])
def test_a_save_in_the_middle_of_a_git_operation_is_refused(
    client: TestClient,
    site: Site,
    operation: str,
) -> None:
    busy(site.content, operation)
    site.commit = True
    local = site.content / "resources" / "local.yaml"
    before = local.read_bytes()
    response = save_police(client, site)
    assert response.status_code == 409, response.text[:300]
    assert "Not saved" in response.text and "in the middle of" in response.text
    assert local.read_bytes() == before
    assert "resources/local.yaml" not in git(site.content, "diff", "--cached", "--name-only")
    if operation == "merge":  # aborting the merge loses nothing: nothing was saved
        git(site.content, "merge", "--abort")
        assert local.read_bytes() == before


def test_unresolved_conflicts_without_an_operation_are_refused(
    client: TestClient,
    site: Site,
) -> None:
    """`git stash pop` stopped on a conflict leaves no MERGE_HEAD, only unmerged files."""
    (site.content / "notes.txt").write_text("base\n", encoding="utf-8")
    repository(site.content)
    commit_line(site.content, "one", "one")
    (site.content / "notes.txt").write_text("stashed\n", encoding="utf-8")
    git(site.content, "stash")
    commit_line(site.content, "two", "two")
    git(site.content, "stash", "pop", check=False)
    assert git(site.content, "ls-files", "--unmerged")
    site.commit = True
    response = save_police(client, site)
    assert response.status_code == 409 and "unresolved conflicts" in response.text


def test_a_commit_that_fails_is_said_on_the_page_and_stages_nothing(
    client: TestClient,
    site: Site,
) -> None:
    """A pre-commit hook refuses: the file is saved, the page says it is not committed
    and why, and the index is as it was (the next person's commit takes nothing)."""
    repository(site.content)
    hook = site.content / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'refused by the hook' >&2\nexit 1\n")
    hook.chmod(0o755)
    site.commit = True
    response = save_police(client, site)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Saved." in page
    assert "not committed to git" in page and "refused by the hook" in page
    assert "(860) 355-3134" in (site.content / "resources" / "local.yaml").read_text()
    assert git(site.content, "diff", "--cached", "--name-only") == ""
    assert git(site.content, "status", "--porcelain").strip() == "M resources/local.yaml"
    assert "not committed to git" not in client.get(POLICE).text, "said once"


def test_a_new_file_whose_commit_fails_is_not_left_staged(tmp_path: Path) -> None:
    repository_folder = tmp_path / "repo"
    repository_folder.mkdir()
    (repository_folder / "a.txt").write_text("a\n")
    repository(repository_folder)
    hook = repository_folder / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    (repository_folder / "new.po").write_text("new\n")
    assert commits.commit(repository_folder, "new.po", "Dana", "added") is not None
    assert git(repository_folder, "status", "--porcelain").strip() == "?? new.po"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Dana\x00", "control character (U+0000)"),
        ("Dana\nSigned-off-by: Mallory <m@example.org>", "line break"),
        ("Dana\u2028Co-authored-by: Mallory", "line break"),
        (".", "only punctuation"),
        ("<>", "which git cannot keep"),
        ("Dana <dana@example.org>", "which git cannot keep"),
        ("Dana \u202eanaD", "U+202E"),
        ("D" * 101, "at most 100"),
    ],
)
def test_a_name_git_cannot_take_is_refused_before_anything_is_written(
    client: TestClient,
    site: Site,
    name: str,
    shown: str,
) -> None:
    repository(site.content)
    site.commit = True
    local = site.content / "resources" / "local.yaml"
    before = local.read_bytes()
    response = save_police(client, site, who=name)
    assert response.status_code == 422, response.text[:300]
    assert "Your name cannot be used" in response.text and shown in response.text
    assert local.read_bytes() == before
    assert git(site.content, "status", "--porcelain") == ""
    assert git(site.content, "log", "--format=%s") == "start\n"


def test_a_commit_message_is_one_line_whatever_it_names(tmp_path: Path) -> None:
    """A translated English text may hold a line break: the message stays one line, and
    no trailer can be added through it."""
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "a.txt").write_text("a\n")
    repository(folder)
    (folder / "a.txt").write_text("b\n")
    what = "translated into es: Call us\nSigned-off-by: Mallory <m@example.org>"
    assert commits.commit(folder, "a.txt", "Dana", what) is None
    message = git(folder, "log", "-1", "--format=%B").strip()
    assert "\n" not in message
    assert git(folder, "log", "-1", "--format=%(trailers)").strip() == ""
