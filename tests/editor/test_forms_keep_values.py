"""A form shown again (after a refused save, on a conflict) and saved keeps exactly what the
coordinator ticked and typed: nothing they did not touch changes in the file."""

from __future__ import annotations

import datetime
import re

import pytest
from starlette.testclient import TestClient

from handout.content.models.records import Topic
from handout.editor.app import Site
from tests.conftest import edit
from tests.editor.test_records import diff, opened

WELLMORE = "/edit/resource/wellmore"


def ticked(page: str, name: str) -> list[str]:
    """The boxes of `name` a browser shows ticked on `page`."""
    return re.findall(
        rf'<input type="checkbox" name="{re.escape(name)}" value="([^"]*)" checked>', page
    )


def hash_of(page: str) -> str:
    return re.search(r'name="_hash" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]


def test_one_ticked_topic_stays_one_after_a_refused_save(client: TestClient, site: Site) -> None:
    """With one box ticked a browser sends one value: shown again, "mental-health" alone
    stays ticked ("health" is not found inside it), and saving writes no topic change."""
    path = site.content / "resources" / "local.yaml"
    before = path.read_text(encoding="utf-8")
    values = opened(client, site, WELLMORE)
    values["topics"] = "mental-health"  # one box ticked: one value, as a browser sends it
    refused = client.post(WELLMORE, data={**values, "name": ""})
    assert refused.status_code == 422
    assert ticked(refused.text, "topics") == ["mental-health"]
    again = {**values, "_hash": hash_of(refused.text), "topics": ticked(refused.text, "topics")}
    again["name"] = "Wellmore Behavioral Health"
    assert client.post(WELLMORE, data=again).status_code == 303
    assert path.read_text(encoding="utf-8") == before  # nothing changed: nothing written


def test_keep_mine_on_a_conflict_keeps_the_ticked_topics(client: TestClient, site: Site) -> None:
    path = site.content / "resources" / "local.yaml"
    values = opened(client, site, WELLMORE)
    values["topics"] = "mental-health"
    theirs = {**values, "helps_with": "Counseling.", "_who": "Robin"}
    assert client.post(WELLMORE, data=theirs).status_code == 303
    saved = path.read_text(encoding="utf-8")
    mine = {**values, "area_served": "Waterbury", "_who": "Sam"}
    conflict = client.post(WELLMORE, data=mine)
    assert conflict.status_code == 409
    assert ticked(conflict.text, "topics") == ["mental-health"]
    kept = {**mine, "_hash": hash_of(conflict.text), "topics": ticked(conflict.text, "topics")}
    assert client.post(WELLMORE, data=kept).status_code == 303
    changed = diff(saved, path.read_text(encoding="utf-8"))
    assert not any("topics" in line for line in changed), changed
    assert "-    helps_with: Counseling." in changed  # Keep mine: my version over theirs


def test_two_ticked_topics_stay_two(client: TestClient, site: Site) -> None:
    values = opened(client, site, WELLMORE)
    values["topics"] = ["mental-health", "substance-use"]
    refused = client.post(WELLMORE, data={**values, "name": ""})
    assert sorted(ticked(refused.text, "topics")) == ["mental-health", "substance-use"]


def test_a_checked_number_keeps_the_old_source_note_and_adds_no_verified(
    client: TestClient, site: Site
) -> None:
    """ "I checked this today" with Where: the place it was checked comes first in the
    source, the editors' note it had is kept after it, and no `verified: true` is added
    (true is the default): only the number and the check lines change."""
    path = site.content / "resources" / "connecticut.yaml"
    before = path.read_text(encoding="utf-8")
    values = opened(client, site, "/edit/resource/ct-safe-connect")
    values.update({"phones.0.number": "(860) 555-0199", "_check_how": "call",
                   "_check_source": "called the line"})  # fmt: skip
    assert client.post("/edit/resource/ct-safe-connect", data=values).status_code == 303
    today = datetime.date.today().isoformat()
    assert diff(before, path.read_text(encoding="utf-8")) == [
        "-      - number: (888) 774-2900",
        "+      - number: (860) 555-0199",
        "-    source: portal.ct.gov (2020); ctcadv.org",
        "-    checked: 2026-11-27",
        "-    checked_how: website",
        "+    source: called the line; earlier, portal.ct.gov (2020); ctcadv.org",
        f"+    checked: {today}",
        "+    checked_how: call",
    ]


def test_confirmed_today_adds_no_verified_line(client: TestClient, site: Site) -> None:
    """The re-checks page's "Confirmed today" on a record without `verified:` changes its
    check lines only."""
    path = site.content / "resources" / "local.yaml"
    before = path.read_text(encoding="utf-8")
    token = re.search(r'name="_token" value="([^"]*)"', client.get("/edit/rechecks").text)
    response = client.post(
        "/edit/rechecks/resource/wellmore", data={"_token": token.group(1), "how": "call"}
    )
    assert response.status_code == 303
    changed = diff(before, path.read_text(encoding="utf-8"))
    assert changed == [
        "-    checked: 2026-11-27",
        "-    checked_how: website",
        f"+    checked: {datetime.date.today().isoformat()}",
        "+    checked_how: call",
    ]


PASTED = "Counseling\u00ad and\u200b mental\u2060 health\ufeff care,\u00a0also online."


def test_invisible_pasted_characters_are_removed_and_said(client: TestClient, site: Site) -> None:
    """Soft hyphen, zero-width space, word joiner and BOM go; a no-break space becomes a
    space; the saved page says so. A value the person did not touch keeps its characters."""
    path = site.content / "resources" / "local.yaml"
    edit(path, "area_served: Waterbury, also", "area_served: Water\u00adbury, also")
    before = path.read_text(encoding="utf-8")
    values = opened(client, site, WELLMORE)
    values["helps_with"] = PASTED
    response = client.post(WELLMORE, data=values)
    assert response.status_code == 303 and "cleaned=1" in response.headers["location"]
    assert diff(before, path.read_text(encoding="utf-8")) == [
        "-    helps_with: Counseling and mental health care.",
        "+    helps_with: Counseling and mental health care, also online.",
    ]
    assert "Invisible characters removed" in client.get(response.headers["location"]).text


def test_invisible_characters_are_removed_from_a_translation(
    client: TestClient, site: Site
) -> None:
    page = client.get("/edit/translations/es", params={"state": "all"}).text
    found = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page))
    sent = {**found, "english": "Appointment reminder", "translation": "Su\u200b próxima\u00adcita"}
    response = client.post("/edit/translations/es", data=sent)
    assert response.status_code == 303 and "cleaned=1" in response.headers["location"]
    catalog = (site.content / "locale" / "es.po").read_text(encoding="utf-8")
    assert 'msgstr "Su próximacita"' in catalog and "\u200b" not in catalog
    assert "Invisible characters removed" in client.get(response.headers["location"]).text


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("62026-11-27", "The year has more than 4 digits. Pick the date in the box, or type "
                        "month, day and year, like "),
        ("2026-13-45", "This is not a date. Pick the date in the box, or type month, day"),
        ((datetime.date.today() + datetime.timedelta(days=3)).isoformat(), " is after today."),
    ],
    ids=["five-digit year", "no such day", "future"],
)  # fmt: skip
def test_a_wrong_date_is_said_in_the_date_box_terms(
    client: TestClient, site: Site, typed: str, said: str
) -> None:
    path = site.content / "resources" / "local.yaml"
    before = path.read_text(encoding="utf-8")
    values = {**opened(client, site, WELLMORE), "checked": typed}
    response = client.post(WELLMORE, data=values)
    assert response.status_code == 422
    message = re.search(
        r'id="f-checked-error"><span class="skip">Error:</span> ([^<]*)<', response.text
    )
    assert message is not None and said in message.group(1), response.text[-3000:]
    assert "YYYY-MM-DD" not in response.text
    assert path.read_text(encoding="utf-8") == before


def test_a_date_typed_month_day_year_is_read(client: TestClient, site: Site) -> None:
    """Where a browser shows a plain text box, a date typed month/day/year is read."""
    path = site.content / "resources" / "local.yaml"
    day = datetime.date.today() - datetime.timedelta(days=1)
    typed = f"{day.month:02}/{day.day:02}/{day.year}"
    values = {**opened(client, site, WELLMORE), "checked": typed}
    assert client.post(WELLMORE, data=values).status_code == 303
    written = (
        f"    checked: {day.isoformat()}\n    checked_how: website\n    cite: {{name: Wellmore"
    )
    assert written in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("topic", [topic.value for topic in Topic])
def test_every_topic_ticked_alone_is_shown_alone(
    client: TestClient, site: Site, topic: str
) -> None:
    """Whatever topic's name holds another's ("mental-health" holds "health"), a refused
    save shows exactly the box that was ticked."""
    values = {**opened(client, site, WELLMORE), "topics": topic, "name": ""}
    refused = client.post(WELLMORE, data=values)
    assert refused.status_code == 422
    assert ticked(refused.text, "topics") == [topic]
