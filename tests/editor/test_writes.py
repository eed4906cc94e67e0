"""The editor's writes (issue 21): no save writes over a change another process made while
the save was being checked (defect 3), the content folder is locked from the last check to
the rename, a save on a full disk says nothing was saved, a new file follows the umask
(defect 19), and the history survives a damaged line (16) and marks an undone undo (17)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from httpx import Response
from starlette.testclient import TestClient

from handout.editor.app import Site, make_app
from handout.editor.history import LOG
from handout.editor.security import allowed_hosts
from handout.preview.live import Preview
from tests.conftest import ROOT, TEMPLATES
from tests.disk import full_disk, snapshot
from tests.editor.signing import SigningClient
from tests.editor.test_records import opened

PORT = 8769
HERE = f"http://127.0.0.1:{PORT}"
POLICE = "/edit/resource/new-milford-police"
NEW = "/edit/new/resource?file=resources/local.yaml"
LAYOUT = "/edit/layout/new-milford"
THEIRS = b"# saved by someone else meanwhile\n"


def make_site(content: Path, out: Path) -> Site:
    out.mkdir(exist_ok=True)
    return Site(Preview(out, "Test"), content, out, TEMPLATES)


def client_of(site: Site) -> TestClient:
    app = make_app(site, allowed_hosts(PORT))
    app.site = site  # type: ignore[attr-defined]  # for the requests below
    return SigningClient(app, base_url=HERE, follow_redirects=False, headers={"origin": HERE})


@pytest.fixture
def site(content_copy: Path, tmp_path: Path) -> Site:
    return make_site(content_copy, tmp_path / "out")


@pytest.fixture
def client(site: Site) -> TestClient:
    return client_of(site)


def hidden(page: Response) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page.text))


def record_form(client: TestClient, site: Site) -> dict:
    """The police record's form as the browser sends it back, one phone number changed."""
    return {**opened(client, site, POLICE), "phones.0.number": "(860) 355-3134", "_who": "Dana"}


NEW_RECORD = {
    "id": "new-milford-library", "name": "New Milford Public Library",
    "helps_with": "Free computers and internet.", "scope": "local",
    "phones.0.number": "(860) 355-1191", "phones.0.kind": "call",
    "source": "newmilfordlibrary.org", "checked": "2026-11-28",
}  # fmt: skip


def edit_elsewhere(path: Path) -> None:
    """Another process saves the file, as a text editor would (no lock)."""
    script = "import sys; f = open(sys.argv[1], 'ab'); f.write(sys.argv[2].encode()); f.close()"
    subprocess.run([sys.executable, "-c", script, str(path), THEIRS.decode()], check=True)


# Each save: the request that makes it (`armed()` is called just before its POST, after
# the pages it needs were read), the function its checks run, and the file it writes.
Request = Callable[[TestClient, Callable[[], None]], Response]


def nothing() -> None:
    pass


def save_record(client: TestClient, armed: Callable[[], None] = nothing) -> Response:
    site = client.app.site  # type: ignore[attr-defined]
    form = record_form(client, site)
    armed()
    return client.post(POLICE, data=form)


def add_record(client: TestClient, armed: Callable[[], None] = nothing) -> Response:
    form = {**hidden(client.get(NEW)), **NEW_RECORD}
    armed()
    return client.post(NEW, data=form)


def delete_record(client: TestClient, armed: Callable[[], None] = nothing) -> Response:
    confirm = client.get("/edit/resource/new-milford-library/delete")
    armed()
    return client.post("/edit/resource/new-milford-library/delete", data=hidden(confirm))


def move_a_row(client: TestClient, armed: Callable[[], None] = nothing) -> Response:
    labels = ["Free legal aid", "Drug or alcohol help", "Shelter"]
    form = {**hidden(client.get(LAYOUT)), "list": "pocket_card.back", "label": labels}
    armed()
    return client.post(LAYOUT, data={**form, "do": "up:1"})


def translate(client: TestClient, armed: Callable[[], None] = nothing) -> Response:
    page = client.get("/edit/translations/es", params={"state": "all"})
    form = {**hidden(page), "english": "Appointment reminder", "translation": "Su próxima cita"}
    armed()
    return client.post("/edit/translations/es", data=form)


def review(client: TestClient, armed: Callable[[], None] = nothing) -> Response:
    page = client.get("/edit/translations/es")
    armed()
    return client.post(
        "/edit/translations/es/review", data={**hidden(page), "reviewer": "Ana", "confirm": "yes"}
    )


def confirm_checked(client: TestClient, armed: Callable[[], None] = nothing) -> Response:
    page = client.get("/edit/rechecks")
    armed()
    form = {**hidden(page), "how": "call", "_who": "Sam"}
    return client.post("/edit/rechecks/resource/new-milford-police", data=form)


def undo_last(client: TestClient, armed: Callable[[], None] = nothing) -> Response:
    page = client.get("/edit/history")
    number = re.findall(r'action="/edit/history/(\d+)/undo"', page.text)[0]
    armed()
    return client.post(f"/edit/history/{number}/undo", data=hidden(page))


SAVES: dict[str, tuple[Request, str, str]] = {
    "record": (save_record, "handout.editor.records.content_problems", "resources/local.yaml"),
    "new record": (add_record, "handout.editor.records.content_problems", "resources/local.yaml"),
    "delete": (delete_record, "handout.editor.records.content_problems", "resources/local.yaml"),
    "layout": (move_a_row, "handout.editor.records.content_problems", "regions/new-milford.yaml"),
    "translation": (translate, "handout.editor.translations.with_translation", "locale/es.po"),
    "review": (review, "handout.editor.translations.reviewed_project", "project.yaml"),
    "re-check": (
        confirm_checked,
        "handout.content.yaml_edit.update_record",
        "resources/local.yaml",
    ),
    "undo": (undo_last, "handout.editor.history.digest", "resources/local.yaml"),
}


@pytest.mark.parametrize("kind", list(SAVES))
def test_a_change_made_while_a_save_is_checked_is_not_overwritten(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The save checks the file against the form, then checks the change (a copy of the
    whole content: seconds); a real second process saves the file in between. The save
    must see it and write nothing; it used to write over it and say "saved"."""
    request, checks, file = SAVES[kind]
    if kind == "delete":
        assert add_record(client).status_code == 303
    if kind == "undo":
        assert save_record(client).status_code == 303
    target = site.content / file
    module, name = checks.rsplit(".", 1)
    original = getattr(sys.modules[module], name)
    edited = []

    def checking(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = original(*args, **kwargs)
        if not edited:
            edit_elsewhere(target)
            edited.append(target.read_bytes())
        return result

    response = request(client, lambda: monkeypatch.setattr(checks, checking))
    assert edited, f"the {kind} save never ran its checks"
    assert target.read_bytes() == edited[0], "their change is kept"
    assert target.read_bytes().endswith(THEIRS)
    if kind == "undo":
        assert response.status_code == 303
        assert "Not undone" in client.get(response.headers["location"]).text
    else:
        assert response.status_code == 409, response.text


def test_the_content_folder_is_locked_until_the_rename(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the editor's rename, a real `mark-checked` on the same file must wait for the
    editor; it then finds the file changed since it read it, and writes nothing."""
    from handout.content import files

    rename = files.put_in_place
    path = site.content / "resources" / "local.yaml"
    started: list[subprocess.Popen[str]] = []
    said: list[str] = []

    def renaming(temporary: Path, target: Path) -> None:
        if target.resolve() == path.resolve() and not started:  # not the scratch copy's
            marking = subprocess.Popen(
                [sys.executable, str(ROOT / "build.py"), "mark-checked", "new-milford-police",
                 "--date", "2026-11-29", "--content", str(site.content)],
                cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            started.append(marking)
            assert marking.stderr is not None
            said.append(marking.stderr.readline())  # blocks until it waits, or ends
        rename(temporary, target)

    monkeypatch.setattr(files, "put_in_place", renaming)
    response = save_record(client)
    [marking] = started
    out, err = marking.communicate(timeout=120)
    assert response.status_code == 303
    assert "waiting:" in said[0], said[0] + out + err
    assert marking.returncode == 1 and "changed by someone else" in err
    text = path.read_text(encoding="utf-8")
    assert "(860) 355-3134" in text and "2026-11-29" not in text


def test_a_save_on_a_full_disk_says_nothing_was_saved(content_copy: Path, tmp_path: Path) -> None:
    with full_disk(content_copy, tmp_path) as content:
        before = snapshot(content)
        client = client_of(make_site(content, tmp_path / "out"))
        response = save_record(client)
        assert response.status_code == 500
        assert "Not saved" in response.text and "No space left on device" in response.text
        assert snapshot(content) == before


def test_a_save_the_history_cannot_keep_is_taken_back(client: TestClient, site: Site) -> None:
    """The content was written, then the history could not be: the page said nothing was
    saved while the file had changed, with no entry to undo it by."""
    path = site.content / "resources" / "local.yaml"
    before = path.read_bytes()
    (site.out / LOG).mkdir()  # the history cannot be written: "Is a directory"
    response = save_record(client)
    assert response.status_code == 500
    assert "Not saved" in response.text and LOG in response.text
    assert path.read_bytes() == before


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


def test_a_new_catalog_follows_the_umask(client: TestClient, site: Site, umask: int) -> None:
    """The editor made every new file 0644, whatever the umask (defect 19)."""
    catalog = site.content / "locale" / "es.po"
    catalog.unlink()
    assert translate(client).status_code == 303
    assert catalog.stat().st_mode & 0o777 == 0o666 & ~umask
    assert (site.out / LOG).stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_damaged_history_line_is_skipped_and_reported(client: TestClient, site: Site) -> None:
    """One line cut short (a crash, a full disk) broke History and Undo for good."""
    path = site.content / "resources" / "local.yaml"
    assert save_record(client).status_code == 303
    log = site.out / LOG
    log.write_bytes(log.read_bytes() + b'{"when": "2026-12-01T10:00:00", "who": "Da')
    page = client.get("/edit/history")
    assert page.status_code == 200
    assert "changed resource new-milford-police" in page.text
    assert "could not be read" in page.text and "line 2" in page.text
    form = record_form(client, site)
    form["phones.0.number"] = "(860) 355-3199"
    assert client.post(POLICE, data=form).status_code == 303
    lines = log.read_bytes().split(b"\n")
    assert json.loads(lines[2])["what"] == "changed resource new-milford-police: Phones", "own line"
    assert undo_last(client).status_code == 303
    assert "(860) 355-3134" in path.read_text(encoding="utf-8")


def test_a_saved_text_with_other_line_separators_stays_one_history_line(tmp_path: Path) -> None:
    """A line separator (U+2028) or form feed in a saved text is not a line break of the
    log (`splitlines` took it for one, and the entry could no longer be read)."""
    from handout.editor import history

    history.record(tmp_path, "Dana", "changed", "resources/local.yaml", "a\u2028b\x0cc", "x")
    [change] = history.changes(tmp_path)
    assert change.before == "a\u2028b\x0cc"


def test_an_undone_undo_puts_the_change_back(client: TestClient, site: Site) -> None:
    """Undoing an undo (a redo) left the original change marked "undone", so it could not
    be undone again (defect 17)."""
    from handout.editor import history

    path = site.content / "resources" / "local.yaml"
    before = path.read_bytes()
    assert save_record(client).status_code == 303
    saved = path.read_bytes()
    assert undo_last(client).status_code == 303  # undo #0
    assert path.read_bytes() == before
    assert undo_last(client).status_code == 303  # undo #1: the change is back
    assert path.read_bytes() == saved
    state = {change.number: change.undone for change in history.changes(site.out)}
    assert state == {0: False, 1: True, 2: False}
    page = client.get("/edit/history").text
    assert 'action="/edit/history/0/undo"' in page, "the change can be undone again"
    response = client.post("/edit/history/0/undo", data=hidden(client.get("/edit/history")))
    assert "Not undone" not in client.get(response.headers["location"]).text
    assert path.read_bytes() == before
    state = {change.number: change.undone for change in history.changes(site.out)}
    assert state == {0: True, 1: True, 2: False, 3: False}


def test_a_file_with_crlf_line_ends_keeps_them(client: TestClient, site: Site) -> None:
    """A content file checked out on Windows (CRLF line ends): a save, and its undo, change
    the one line; every other line kept its line end (the save wrote LF everywhere)."""
    path = site.content / "resources" / "local.yaml"
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    assert save_record(client).status_code == 303
    assert path.read_bytes() == crlf.replace(
        b"- number: (860) 355-3133\r\n", b"- number: (860) 355-3134\r\n"
    )
    assert undo_last(client).status_code == 303
    assert path.read_bytes() == crlf
