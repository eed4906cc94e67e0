"""The editor's record forms without a browser: made from the models, saved with the
command line's checks, written so that only the changed lines differ, refused on a
conflict, logged and undoable; and the re-checks page."""

from __future__ import annotations

import datetime
import difflib
import os
import re
import subprocess
from pathlib import Path

import pytest
from httpx import Response
from starlette.testclient import TestClient

from handout.content import yaml_edit
from handout.content.models import CheckedHow, Law, Resource
from handout.content.read import read_content
from handout.editor import forms, records
from handout.editor.app import Site
from handout.editor.history import LOG
from tests.conftest import edit
from tests.editor.conftest import HERE

POLICE = "/edit/resource/new-milford-police"


def opened(client: TestClient, site: Site, path: str = POLICE) -> dict:
    """What the browser would send back unchanged: the form's hidden fields and values."""
    page = client.get(path)
    assert page.status_code == 200
    hidden = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page.text))
    _, kind, record_id = path.rsplit("/", 2)
    content, _, _ = read_content(site.content)
    place = records.place_of(content, kind, record_id)
    assert place is not None
    text = place.path.read_text(encoding="utf-8")
    return {**hidden, **forms.values_of(place.model, records.record_data(place, text))}


def diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def test_every_record_and_law_goes_through_its_form_unchanged(content_copy: Path) -> None:
    """The form loses nothing: every record, shown and sent back untouched, writes its
    file byte for byte as it was."""
    content, problems, _ = read_content(content_copy)
    assert not problems
    for place_key in content.places:
        kind, _, record_id = place_key.partition(":")
        if kind not in ("resource", "law"):
            continue
        place = records.place_of(content, kind, record_id)
        assert place is not None
        text = place.path.read_text(encoding="utf-8")
        data = forms.parse(
            place.model, forms.values_of(place.model, records.record_data(place, text))
        )
        assert yaml_edit.replace_record(text, place.location, data) == text, place_key


def test_the_form_has_a_widget_for_every_model_field() -> None:
    for model in (Resource, Law):
        assert {w.name for w in forms.widgets(model)} == set(model.model_fields)


def test_lists_every_record_and_law_with_its_status_and_searches(client: TestClient) -> None:
    page = client.get("/edit/")
    assert page.status_code == 200
    assert page.text.count('href="/edit/resource/') > 20
    assert 'href="/edit/law/' in page.text
    assert "status-fine" in page.text and "status-unverified" in page.text
    found = client.get("/edit/", params={"q": "355-3133"}).text
    assert found.count("<tr>") == 2 and "New Milford Police Department" in found


def test_a_changed_number_changes_exactly_its_line(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_text(encoding="utf-8")
    values = opened(client, site)
    values["phones.0.number"] = "(860) 355-3134"
    values["_who"] = "Dana"
    response = client.post(POLICE, data=values)
    assert response.status_code == 303, response.text
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("(860) 355-3133", "(860) 355-3134", 1)
    assert diff(before, after) == [
        "-      - number: (860) 355-3133",
        "+      - number: (860) 355-3134",
    ]
    assert "Saved." in client.get(response.headers["location"]).text
    history = client.get("/edit/history").text
    assert "Dana" in history and "changed resource new-milford-police" in history


def test_an_invalid_number_is_shown_at_its_field_and_nothing_is_written(
    client: TestClient, site: Site
) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_bytes()
    values = opened(client, site)
    values["phones.0.number"] = "(860) 555-01"
    response = client.post(POLICE, data=values)
    assert response.status_code == 422
    page = response.text
    assert '<a href="#f-phones-0-number">' in page, "the summary links to the field"
    field = re.search(r'id="f-phones-0-number-error">(.*?)</p>', page, re.S)
    assert field and "cannot be a real phone number" in field.group(1)
    assert re.search(r'aria-describedby="[^"]*f-phones-0-number-error"', page)
    assert 'value="(860) 555-01"' in page, "what was typed is kept"
    assert path.read_bytes() == before
    assert not (site.out / LOG).exists()


def test_a_missing_required_field_and_a_bad_date(client: TestClient, site: Site) -> None:
    values = opened(client, site)
    values["helps_with"] = ""
    values["checked"] = "2026-13-01"
    page = client.post(POLICE, data=values).text
    assert "Helps with is missing" in page and '<a href="#f-helps-with">' in page
    assert "This is not a date. Pick the date in the box" in page


def test_a_broken_reference_in_another_file_is_refused(client: TestClient, site: Site) -> None:
    """Checked like the command line checks: a region's pick uses this phone's purpose."""
    values = opened(client, site, "/edit/resource/ct-211")
    purposes = [key for key, value in values.items() if key.endswith(".purpose") and value]
    assert purposes
    before = (site.content / "resources" / "connecticut.yaml").read_bytes()
    for key in purposes:
        values[key] = ""
    response = client.post("/edit/resource/ct-211", data=values)
    assert response.status_code == 422
    assert "There is a problem" in response.text and "regions/" in response.text
    assert (site.content / "resources" / "connecticut.yaml").read_bytes() == before


def test_a_save_over_someone_elses_change_is_refused(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    values = opened(client, site)
    text = path.read_text(encoding="utf-8")
    theirs = text.replace("(860) 626-7900", "(860) 626-7901")
    path.write_text(theirs, encoding="utf-8")
    values["phones.0.number"] = "(860) 355-3134"
    response = client.post(POLICE, data=values)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.text
    # Another record of the file changed: this record's field is listed, as not theirs.
    assert "They changed another record in resources/local.yaml" in response.text
    assert "(not changed by them)" in response.text
    assert "changed outside the editor" in response.text
    assert path.read_text(encoding="utf-8") == theirs, "their change is kept"


def test_a_conflict_shows_their_fields_beside_mine_with_their_name(
    client: TestClient, site: Site
) -> None:
    path = site.content / "resources" / "local.yaml"
    values = opened(client, site)
    theirs = dict(values, **{"phones.0.number": "(860) 355-3139", "_who": "Robin"})
    assert client.post(POLICE, data=theirs).status_code == 303
    saved = path.read_text(encoding="utf-8")
    mine = dict(values, **{"phones.0.number": "(860) 355-3134", "_who": "Sam"})
    response = client.post(POLICE, data=mine)
    assert response.status_code == 409
    assert "<strong>Robin</strong> saved this record today at" in response.text
    # Only the field that differs, theirs beside mine: no raw diff.
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="theirs">([^<]*)</td>'
                      r'<td class="mine">([^<]*)</td></tr>', response.text)  # fmt: skip
    assert rows == [("Phone 1, number", "(860) 355-3139", "(860) 355-3134")]
    assert "@@" not in response.text and "+++" not in response.text
    assert path.read_text(encoding="utf-8") == saved
    # Keep mine: the form (made from their version now) saves over theirs.
    again = hidden_of(response)
    kept = dict(mine, _hash=again["_hash"])
    assert client.post(POLICE, data=kept).status_code == 303
    assert "(860) 355-3134" in path.read_text(encoding="utf-8")
    # Keep theirs: the record as it is, and a word that mine was dropped.
    assert "You kept their version" in client.get(POLICE + "?kept=theirs").text


@pytest.mark.parametrize(
    "headers",
    [{"origin": HERE}, {"origin": "http://evil.example"}],
    ids=["no token", "other origin"],
)
def test_a_write_without_token_or_from_elsewhere_is_refused(
    client: TestClient, site: Site, headers: dict
) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_bytes()
    values = opened(client, site)
    values["phones.0.number"] = "(860) 355-3134"
    if headers["origin"] == HERE:
        del values["_token"]
    response = client.post(POLICE, data=values, headers=headers)
    assert response.status_code == 403
    assert path.read_bytes() == before


def test_a_change_can_be_undone(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_bytes()
    values = opened(client, site)
    values["phones.0.number"] = "(860) 355-3134"
    assert client.post(POLICE, data=values).status_code == 303
    assert path.read_bytes() != before
    page = client.get("/edit/history").text
    token = re.search(r'name="_token" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    response = client.post("/edit/history/0/undo", data={"_token": token, "_who": "Dana"})
    assert response.status_code == 303
    assert path.read_bytes() == before
    page = client.get(response.headers["location"]).text
    assert "Undone." in page
    assert "Undid “changed resource new-milford-police: Phones” (change #0)" in page
    again = client.post("/edit/history/0/undo", data={"_token": token})
    assert "already" in client.get(again.headers["location"]).text


def test_undo_is_offered_only_where_it_can_be_done(client: TestClient, site: Site) -> None:
    for number in ("(860) 355-3134", "(860) 355-3135"):
        values = {**opened(client, site), "phones.0.number": number}
        assert client.post(POLICE, data=values).status_code == 303
    page = client.get("/edit/history").text
    assert 'action="/edit/history/1/undo"' in page, "the last change can be undone"
    assert 'action="/edit/history/0/undo"' not in page
    assert "changed again since: undo the later changes first" in page


def test_rechecks_list_due_facts_with_tel_links_and_confirm_them(
    client: TestClient, site: Site
) -> None:
    edit(site.content / "resources" / "local.yaml", "checked: 2026-11-27", "checked: 2020-01-02")
    page = client.get("/edit/rechecks").text
    order = re.findall(r'action="/edit/rechecks/(?:resource|law)/([a-z0-9-]+)"', page)
    assert order.index("new-milford-police") < order.index("ct-211"), "oldest first"
    assert 'href="tel:+18603553133"' in page
    assert 'href="/edit/resource/new-milford-police"' in page, "Changed… opens the form"
    token = re.search(r'name="_token" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/edit/rechecks/resource/new-milford-police",
        data={"_token": token, "_who": "Sam", "how": "call"},
    )
    assert response.status_code == 303
    content, problems, _ = read_content(site.content)
    assert not problems
    assert content.resources["new-milford-police"].checked == datetime.date.today()
    assert content.resources["new-milford-police"].checked_how == CheckedHow.call
    history = client.get("/edit/history").text
    assert "confirmed resource new-milford-police (called the number)" in history
    assert "Sam" in history
    assert (
        'action="/edit/rechecks/resource/new-milford-police"'
        not in client.get("/edit/rechecks").text
    )


NEW = "/edit/new/resource?file=resources/local.yaml"


def new_record(client: TestClient, **fields: str) -> dict:
    page = client.get(NEW)
    assert page.status_code == 200 and 'name="id"' in page.text
    assert 'name="id" value="" readonly' not in page.text, "a new record's id is typed"
    hidden = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page.text))
    return {
        **hidden, "id": "new-milford-library", "name": "New Milford Public Library",
        "helps_with": "Free computers and internet.", "scope": "local",
        "phones.0.number": "(860) 355-1191", "phones.0.kind": "call",
        "source": "newmilfordlibrary.org", "checked": "2026-11-28", **fields,
    }  # fmt: skip


def test_a_record_can_be_added_and_deleted_when_unused(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_text(encoding="utf-8")
    response = client.post(NEW, data=new_record(client))
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/edit/resource/new-milford-library?saved=1"
    content, problems, _ = read_content(site.content)
    assert not problems
    assert content.resources["new-milford-library"].phones[0].number == "(860) 355-1191"
    added = path.read_text(encoding="utf-8")
    assert added.startswith(before.rstrip("\n")), "the other records are untouched"

    # The record's page links to a confirmation page; only its button deletes.
    record_page = client.get("/edit/resource/new-milford-library").text
    assert 'href="/edit/resource/new-milford-library/delete"' in record_page
    confirm = client.get("/edit/resource/new-milford-library/delete")
    assert "Delete New Milford Public Library?" in confirm.text
    assert "Yes, delete it" in confirm.text
    assert "new-milford-library" in path.read_text(encoding="utf-8"), "a GET deletes nothing"
    response = client.post("/edit/resource/new-milford-library/delete", data=hidden_of(confirm))
    assert response.status_code == 303
    assert "new-milford-library" not in path.read_text(encoding="utf-8")
    assert "deleted resource new-milford-library" in client.get("/edit/history").text


def hidden_of(page: Response) -> dict[str, str]:
    """The hidden fields of a page's form (token, file hash)."""
    return dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page.text))


def test_a_deletion_confirmed_on_an_older_file_is_asked_again(
    client: TestClient, site: Site
) -> None:
    """Someone saved the file after the confirmation page was opened: nothing is deleted,
    and the page asks again (so nobody deletes a version of a record they have not seen)."""
    client.post(NEW, data=new_record(client))
    path = site.content / "resources" / "local.yaml"
    confirm = client.get("/edit/resource/new-milford-library/delete")
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = path.read_bytes()
    response = client.post("/edit/resource/new-milford-library/delete", data=hidden_of(confirm))
    assert response.status_code == 409 and "Yes, delete it" in response.text
    assert path.read_bytes() == changed
    again = client.post("/edit/resource/new-milford-library/delete", data=hidden_of(response))
    assert again.status_code == 303
    assert "new-milford-library" not in path.read_text(encoding="utf-8")


def test_a_new_record_is_checked_like_the_command_line(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_bytes()
    invalid = client.post(NEW, data=new_record(client, id="Bad Id", **{"phones.0.number": "1"}))
    assert invalid.status_code == 422
    assert "is not a valid id" in invalid.text and '<a href="#f-id">' in invalid.text
    twice = client.post(NEW, data=new_record(client, id="new-milford-police"))
    assert twice.status_code == 422 and "is used twice" in twice.text
    assert path.read_bytes() == before


def test_a_record_in_use_is_not_deleted(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_bytes()
    confirm = client.get(POLICE + "/delete")
    assert "It cannot be deleted yet" in confirm.text
    assert "regions/new-milford.yaml" in confirm.text
    assert "Yes, delete it" not in confirm.text
    # A POST sent without the confirmation page (a stale form) is refused the same way.
    page = client.get(POLICE).text
    token = re.search(r'name="_token" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    file_hash = re.search(r'name="_hash" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(POLICE + "/delete", data={"_token": token, "_hash": file_hash})
    assert response.status_code == 422
    assert "It cannot be deleted yet" in response.text
    assert "regions/new-milford.yaml" in response.text
    assert path.read_bytes() == before


def test_with_commit_each_save_is_a_git_commit(client: TestClient, site: Site) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=site.content, check=True, capture_output=True, text=True,
            env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                 "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"},
        ).stdout  # fmt: skip

    git("init", "--quiet")
    git("add", ".")
    git("commit", "--quiet", "-m", "start")
    site.commit = True
    values = opened(client, site)
    values["phones.0.number"] = "(860) 355-3134"
    values["_who"] = "Dana"
    assert client.post(POLICE, data=values).status_code == 303
    log = git("log", "--format=%an: %s", "-n", "1")
    assert (
        log.strip() == "Dana: changed resource new-milford-police: Phones (in the editor, by Dana)"
    )
    assert git("status", "--porcelain") == ""
    assert "(860) 355-3134" in git("show", "HEAD")


def test_unknown_places_and_a_broken_content_are_answered_not_crashed(
    client: TestClient, site: Site
) -> None:
    """Every lookup that finds nothing answers 404, and a content mistake answers with the
    page that shows it, on every kind of page; nothing is written."""
    token = hidden_of(client.get(POLICE))["_token"]
    for path in (
        "/edit/resource/no-such-record",
        "/edit/resource/..%2F..%2Fproject",
        "/edit/resource/no-such-record/delete",
        "/edit/new/resource?file=../../project.yaml",
        "/edit/new/nothing?file=resources/local.yaml",
        "/edit/layout/nowhere",
        "/edit/translations/xx",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post("/edit/resource/no-such-record", data={"_token": token}).status_code == 404

    files = {path: path.read_bytes() for path in site.content.rglob("*") if path.is_file()}
    local = site.content / "resources" / "local.yaml"
    local.write_text(local.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    files[local] = local.read_bytes()
    for path in ("/edit/", POLICE, POLICE + "/delete", "/edit/rechecks", "/edit/layout",
                 "/edit/translations/es", NEW):  # fmt: skip
        page = client.get(path)
        assert page.status_code == 200 and "The content has a mistake" in page.text, path
        assert "local.yaml" in page.text, path
    deleted = client.post(POLICE + "/delete", data={"_token": token, "_hash": "x"})
    assert "The content has a mistake" in deleted.text
    assert {path: path.read_bytes() for path in files} == files


def test_a_save_that_changes_nothing_says_so_and_rebuilds_nothing(
    client: TestClient, site: Site
) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_bytes()
    response = client.post(POLICE, data=opened(client, site))
    assert response.status_code == 303
    assert response.headers["location"].endswith("?unchanged=1")
    page = client.get(response.headers["location"]).text
    assert "Nothing to save:" in page and "being rebuilt" not in page
    assert path.read_bytes() == before
    assert not (site.out / LOG).exists(), "no change in the history"
