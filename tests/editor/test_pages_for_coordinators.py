"""The editor's pages as a coordinator who never saw YAML meets them, without a browser: the
name kept after a refused save and signing every change; "I checked this today" beside a
record's Save; the re-checks page filtered and most urgent first."""

from __future__ import annotations

import datetime
import re

from starlette.testclient import TestClient

from handout.content.freshness import months_between
from handout.content.models import CheckedHow
from handout.content.read import read_content
from handout.editor.app import Site, make_app
from handout.editor.history import changes
from handout.editor.security import allowed_hosts
from tests.conftest import edit
from tests.editor.conftest import HERE, PORT
from tests.editor.test_records import POLICE, opened


def test_a_refused_save_keeps_the_name_typed(client: TestClient, site: Site) -> None:
    values = opened(client, site)
    values.update({"phones.0.number": "(860) 555-01", "_who": "Dana Whitfield"})
    response = client.post(POLICE, data=values)
    assert response.status_code == 422
    assert re.search(r'id="f-who" name="_who" value="Dana Whitfield"', response.text)
    assert "(860) 555-01" in response.text  # the message beside the field, without its place:
    assert "the first phone&#39;s number" not in response.text
    assert "the first phone's number" not in response.text


def test_every_page_asks_the_name_once_and_fills_it_into_its_forms(client: TestClient) -> None:
    """The name bar and the script that remembers the name are on the pages without a name
    field of their own; the script is allowed by the page's Content Security Policy."""
    for path in ("/edit/history", "/edit/rechecks", "/edit/translations/es", "/edit/"):
        page = client.get(path)
        assert 'id="editor-name" class="who' in page.text, path
        assert "handout-editor-name" in page.text, path
    record = client.get(POLICE).text
    assert 'id="editor-name"' not in record and 'class="who"' in record


def test_a_checked_number_is_saved_with_its_check(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    edit(path, "checked: 2026-11-27", "checked: 2025-01-02")  # the police record's, first
    values = opened(client, site)
    values.update({"phones.0.number": "(860) 355-3134", "_who": "Dana",
                   "_check_how": "call", "_check_source": "Called the front desk"})  # fmt: skip
    response = client.post(POLICE, data=values)
    assert response.status_code == 303, response.text
    content, problems, _ = read_content(site.content)
    assert not problems
    police = content.resources["new-milford-police"]
    assert police.phones[0].number == "(860) 355-3134"
    assert police.checked == datetime.date.today() and police.checked_how == CheckedHow.call
    assert police.source.startswith("Called the front desk; earlier, ") and police.verified
    assert [change.what for change in changes(site.out)] == [
        "checked resource new-milford-police today (called the number)",
        "changed resource new-milford-police: Phones; Source",
    ]
    assert {change.who for change in changes(site.out)} == {"Dana"}
    page = client.get(response.headers["location"]).text
    assert "Saved and marked checked today" in page


def test_a_source_without_how_it_was_checked_is_asked_for(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_text(encoding="utf-8")
    values = opened(client, site)
    values.update({"phones.0.number": "(860) 355-3134", "_check_source": "the website"})
    response = client.post(POLICE, data=values)
    assert response.status_code == 422
    assert 'href="#f-check-how">I checked this today: Choose how you checked' in response.text
    assert path.read_text(encoding="utf-8") == before


def months_ago(months: int) -> str:
    """A date exactly `months` whole months before today (as the re-check sheet counts)."""
    today = datetime.date.today()
    day = today - datetime.timedelta(days=months * 30)
    while months_between(day, today) > months:
        day += datetime.timedelta(days=1)
    while months_between(day, today) < months:
        day -= datetime.timedelta(days=1)
    return day.isoformat()


def listed(page: str) -> list[tuple[str, str]]:
    """(urgency, record id) of each fact the re-checks page lists, in order."""
    found = re.findall(
        r'<span class="status urgency-([a-z-]+)">[^<]*</span>.*?action="/edit/rechecks/\w+/'
        r'([a-z0-9-]+)"',
        page,
        re.DOTALL,
    )
    return [(urgency, fact) for urgency, fact in found]


def test_rechecks_are_filtered_and_most_urgent_first(client: TestClient, site: Site) -> None:
    local = site.content / "resources" / "local.yaml"
    text = local.read_text(encoding="utf-8")
    police, troop = text.index("id: new-milford-police"), text.index("id: ct-state-police-troop")
    text = (text[:police] + text[police:troop].replace("checked: 2026-11-27",
            f"checked: {months_ago(11)}") + text[troop:].replace("checked: 2026-11-27",
            f"checked: {months_ago(13)}", 1))  # fmt: skip
    local.write_text(text, encoding="utf-8")
    page = client.get("/edit/rechecks").text
    order = listed(page)
    assert order[:2] == [("overdue", "ct-state-police-troop-l"), ("due-soon", "new-milford-police")]
    urgencies = [urgency for urgency, _fact in order]
    assert urgencies == sorted(
        urgencies, key=["overdue", "due-soon", "never-confirmed", "other"].index
    )
    assert "never-confirmed" in urgencies and "other" in urgencies
    summary = re.search(r"(\d+) overdue, (\d+) due soon</a>;\s*<a[^>]*>(\d+) never confirmed", page)
    assert summary is not None and summary.groups()[:2] == ("1", "1")

    due = listed(client.get("/edit/rechecks", params={"show": "due"}).text)
    assert due == order[:2]
    unverified = listed(client.get("/edit/rechecks", params={"show": "unverified"}).text)
    assert unverified and {urgency for urgency, _ in unverified} == {"never-confirmed"}

    # A region lists what its materials print: New Milford's police, not in Waterbury's.
    for region, expected in (("new-milford", True), ("waterbury", False)):
        shown = client.get("/edit/rechecks", params={"region": region}).text
        facts = [fact for _urgency, fact in listed(shown)]
        assert ("new-milford-police" in facts) is expected, region
        assert "ct-prostitution" in facts, "laws are listed in every region"


def test_a_confirmation_keeps_the_filters(client: TestClient, site: Site) -> None:
    page = client.get("/edit/rechecks", params={"show": "unverified", "region": "new-milford"})
    token = re.search(r'name="_token" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    fact = listed(page.text)[0][1]
    response = client.post(
        f"/edit/rechecks/resource/{fact}",
        data={"_token": token, "_who": "Sam", "how": "call", "show": "unverified",
              "region": "new-milford"},
    )  # fmt: skip
    assert response.status_code == 303
    location = response.headers["location"]
    assert "show=unverified" in location and "region=new-milford" in location
    assert f"confirmed={fact}" in location


def test_a_translation_conflict_names_who_and_shows_both(client: TestClient, site: Site) -> None:
    page = client.get("/edit/translations/es").text
    hidden = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page))
    english = "Help near {region}"
    first = {**hidden, "_who": "Robin", "english": english, "translation": "Ayuda en {region}"}
    assert client.post("/edit/translations/es", data=first).status_code == 303
    second = {**first, "_who": "Sam", "translation": "Ayuda cerca de {region}"}
    response = client.post("/edit/translations/es", data=second)
    assert response.status_code == 409
    assert "<strong>Robin</strong> saved translations today at" in response.text
    row = re.search(r'<td class="theirs">([^<]*)</td><td class="mine">([^<]*)</td>', response.text)
    assert row is not None and row.groups() == ("Ayuda en {region}", "Ayuda cerca de {region}")
    assert "@@" not in response.text


def test_a_change_without_a_name_is_not_saved(site: Site) -> None:
    """In a browser without scripts the server asks for the name too: the record form keeps
    what was typed and says so beside "Your name"; a re-check (and every other form) is
    refused with a page that says why. No file changes and the history stays empty."""
    bare = TestClient(
        make_app(site, allowed_hosts(PORT)), base_url=HERE, follow_redirects=False,
        headers={"origin": HERE},
    )  # fmt: skip
    before = {path: path.read_bytes() for path in site.content.rglob("*.yaml")}
    values = opened(bare, site)
    values.update({"phones.0.number": "(860) 355-3134", "_who": "  "})
    response = bare.post(POLICE, data=values)
    assert response.status_code == 422
    assert "Write your name first" in response.text
    assert 'value="(860) 355-3134"' in response.text  # what was typed is kept
    form = re.search(
        r'<form method="post" action="(/edit/rechecks/[^"]+)".*?</form>',
        bare.get("/edit/rechecks").text, re.S,
    )  # fmt: skip
    assert form is not None
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[0]))
    response = bare.post(form[1], data={**fields, "how": "website"})
    assert response.status_code == 422
    assert "your name is missing" in response.text and "Write your name first" in response.text
    assert {path: path.read_bytes() for path in site.content.rglob("*.yaml")} == before
    assert changes(site.out) == []


def test_every_fact_to_recheck_says_where_to_check_it(client: TestClient) -> None:
    """A number to call, or a website to look it up on (a law's cited source): never a
    fact with nothing to act on, unless the page says how to add one."""
    page = client.get("/edit/rechecks", params={"show": "all"}).text
    sections = re.findall(r'<section class="due".*?</section>', page, re.S)
    assert sections
    for section in sections:
        assert (
            "Call: " in section or "Look it up: " in section or "No number or website" in (section)
        ), section[:300]
    assert any("Look it up: " in section and "Call: " not in section for section in sections)
