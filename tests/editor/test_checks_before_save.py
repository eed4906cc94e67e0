"""Issue 21, items 6, 10 and 11: the editor runs the build's checks before it writes, so a
save never leaves content the next build refuses. A translation or a field holding a
bidirectional control, a control character, a character no shipped font has or an editors'
word, or a discreet front translated with a forbidden word, is shown beside its field and
nothing is written; the build then still passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handout.content.load import load
from handout.editor.app import Site
from handout.editor.pages.shared import row_id
from handout.preview.live import Preview
from tests.conftest import TEMPLATES
from tests.editor.test_records import POLICE, opened

FRONT = "Please call 24 hours ahead to change."


@pytest.fixture
def site(content_copy: Path, tmp_path: Path) -> Site:
    out = tmp_path / "out"
    out.mkdir()
    return Site(Preview(out, "Test"), content_copy, out, TEMPLATES)


def translation_form(client: TestClient) -> dict[str, str]:
    page = client.get("/edit/translations/es", params={"state": "all"}).text
    return dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page))


@pytest.mark.parametrize(
    ("english", "typed", "shown"),
    [
        (FRONT, "Llama a la policía, día y noche.", "`policía` could give away"),
        (FRONT, "Llama a la p\u043elicía, día y noche.", "`policía` could give away"),
        (FRONT, "Llama a la \u202eaícilop\u202c.", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        (
            "Free, private help, {hours}",
            "Ayuda contra la trata, {hours}",
            "`trata` could give away",
        ),
        ("Appointment reminder", "Números ☎", "U+260E, BLACK TELEPHONE"),
        ("Appointment reminder", "Números \ue000", "U+E000"),
        ("Appointment reminder", "Números\x00", "U+0000"),
        ("Appointment reminder", "Números \u200f", "U+200F (RIGHT-TO-LEFT MARK)"),
        ("Appointment reminder", "Números del fact-check", "word `fact-check`"),
    ],
)
def test_a_translation_the_build_would_refuse_is_not_saved(
    client: TestClient, site: Site, english: str, typed: str, shown: str
) -> None:
    po = site.content / "locale" / "es.po"
    before = po.read_bytes()
    response = client.post(
        "/edit/translations/es?state=all",
        data={**translation_form(client), "english": english, "translation": typed},
    )
    assert response.status_code == 422, response.text[:500]
    assert shown in response.text
    rid = row_id(english)
    error = re.search(rf'<p class="error-message" id="{rid}-error"[^>]*>(.*?)</p>', response.text)
    assert error and shown in error.group(1), "beside the field"
    assert po.read_bytes() == before
    load(site.content)  # the content the build reads is still fine


@pytest.mark.parametrize(
    ("field", "typed", "shown"),
    [
        ("name", "New Milford \u202eecilop\u202c Department", "U+202E"),
        ("name", "New Milford\x00 Police", "U+0000"),
        ("name", "New Milford Police \u260e", "U+260E"),
        ("phones.0.note", "non-emergency, or 741\u202e147\u202c", "U+202E"),
        ("helps_with", "Reports, as in the seed article", "word `seed article`"),
    ],
)
def test_a_record_field_the_build_would_refuse_is_shown_beside_it(
    client: TestClient, site: Site, field: str, typed: str, shown: str
) -> None:
    local = site.content / "resources" / "local.yaml"
    before = local.read_bytes()
    form = {**opened(client, site), field: typed, "_who": "Dana"}
    response = client.post(POLICE, data=form)
    assert response.status_code == 422, response.text[:500]
    field_id = "f-" + field.replace(".", "-").replace("_", "-")
    error = re.search(rf'id="{field_id}-error"[^>]*>(.*?)</p>', response.text, re.DOTALL)
    assert error and shown in error.group(1), response.text[:3000]
    assert local.read_bytes() == before


def test_a_label_no_font_can_print_is_not_saved(client: TestClient, site: Site) -> None:
    region = site.content / "regions" / "new-milford.yaml"
    before = region.read_bytes()
    page = client.get("/edit/layout/new-milford").text
    found = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page))
    form = {"_token": found["_token"], "_hash": found["_hash"], "list": "pocket_card.front",
            "label": ["", "Safe line ☎", "", ""], "do": "labels"}  # fmt: skip
    response = client.post("/edit/layout/new-milford", data=form)
    assert response.status_code == 422
    assert "U+260E" in response.text
    assert region.read_bytes() == before
