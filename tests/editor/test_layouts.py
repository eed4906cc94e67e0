"""Cards and flyer per region without a browser: rows moved, labelled, added and removed,
the QR code set, each a minimal edit of the region file checked like the command line;
and the fit result of the last build shown."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handout.editor.app import Site
from handout.preview.live import Preview
from tests.conftest import TEMPLATES

PAGE = "/edit/layout/new-milford"


@pytest.fixture
def site(content_copy: Path, tmp_path: Path) -> Site:
    out = tmp_path / "out"
    out.mkdir()
    return Site(Preview(out, "Test"), content_copy, out, TEMPLATES)


def region(site: Site) -> Path:
    return site.content / "regions" / "new-milford.yaml"


def hidden(client: TestClient) -> dict[str, str]:
    page = client.get(PAGE).text
    found = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page))
    return {key: found[key] for key in ("_token", "_hash")}


def changes(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


BACK_LABELS = ["Free legal aid", "Drug or alcohol help", "Shelter"]


def test_the_page_lists_each_face_in_order(client: TestClient) -> None:
    page = client.get(PAGE).text
    for title in ("Pocket card, front", "Pocket card, back", "Discreet card, back", "Flyer"):
        assert title in page
    assert page.index('value="Free legal aid"') < page.index('value="Shelter"')
    assert "Not rebuilt since the preview started" in page


def test_move_a_row_up(client: TestClient, site: Site) -> None:
    before = region(site).read_text(encoding="utf-8")
    form = {**hidden(client), "list": "pocket_card.back", "label": BACK_LABELS, "do": "up:1"}
    assert client.post(PAGE, data=form).status_code == 303
    after = region(site).read_text(encoding="utf-8")
    assert sorted(changes(before, after)) == sorted([
        "+    - resource: dmhas-access-line", "+      label: Drug or alcohol help",
        "-    - resource: dmhas-access-line", "-      label: Drug or alcohol help",
    ])  # fmt: skip
    assert after.index("label: Drug or alcohol help") < after.index("label: Free legal aid")
    assert "Pocket card, back in new-milford" in client.get("/edit/history").text


def test_label_add_and_remove(client: TestClient, site: Site) -> None:
    before = region(site).read_text(encoding="utf-8")
    form = {**hidden(client), "list": "pocket_card.front", "label": ["", "Safe line", "", ""],
            "do": "labels"}  # fmt: skip
    assert client.post(PAGE, data=form).status_code == 303
    labelled = region(site).read_text(encoding="utf-8")
    assert changes(before, labelled) == [
        "-    - ct-safe-connect", "+    - resource: ct-safe-connect", "+      label: Safe line",
    ]  # fmt: skip
    form = {**hidden(client), "list": "flyer.key_numbers", "label": [""] * 5, "do": "add",
            "add": "ct-211", "purpose": "shelter"}  # fmt: skip
    assert client.post(PAGE, data=form).status_code == 303
    added = region(site).read_text(encoding="utf-8")
    assert changes(labelled, added) == ["+    - resource: ct-211", "+      purpose: shelter"]
    form = {**hidden(client), "list": "flyer.key_numbers", "label": [""] * 6, "do": "remove:5"}
    assert client.post(PAGE, data=form).status_code == 303
    assert region(site).read_text(encoding="utf-8") == labelled


def test_a_change_the_command_line_would_refuse_is_refused(client: TestClient, site: Site) -> None:
    before = region(site).read_bytes()
    form = {**hidden(client), "list": "flyer.key_numbers", "label": [""] * 5, "do": "add",
            "add": "no-such-record"}  # fmt: skip
    response = client.post(PAGE, data=form)
    assert response.status_code == 422
    assert "There is a problem" in response.text and "no-such-record" in response.text
    assert region(site).read_bytes() == before


def test_set_the_qr_code(client: TestClient, site: Site) -> None:
    before = region(site).read_text(encoding="utf-8")
    form = {**hidden(client), "qr": "pocket_card", "resource": "ct-211", "link": "tel"}
    assert client.post(PAGE, data=form).status_code == 303
    assert changes(before, region(site).read_text(encoding="utf-8")) == [
        "-    link: website", "+    link: tel",
    ]  # fmt: skip


def test_a_stale_page_is_refused(client: TestClient, site: Site) -> None:
    form = {**hidden(client), "list": "pocket_card.back", "label": BACK_LABELS, "do": "up:1"}
    text = region(site).read_text(encoding="utf-8")
    region(site).write_text(text.replace("label: Shelter", "label: Shelters"), encoding="utf-8")
    response = client.post(PAGE, data=form)
    assert response.status_code == 409 and "label: Shelters" in response.text
    # The list as the page showed it, beside the list as it is now, the changed row marked.
    page = " ".join(response.text.split())
    assert "<caption>Pocket card, back</caption>" in page
    assert re.search(r'<tr class="differs"><td>3</td><td>Shelter</td><td>Shelters', page), page
    assert "changed outside the editor" in page and "not saved" in page


def test_a_save_since_to_another_list_is_kept_and_the_change_made_on_it(
    client: TestClient, site: Site
) -> None:
    """Someone else changed the discreet card's labels while this page was open; moving a
    row of the pocket card's back touches another list, so it is made on their version."""
    form = {**hidden(client), "list": "pocket_card.back", "label": BACK_LABELS, "do": "up:1"}
    text = region(site).read_text(encoding="utf-8")
    region(site).write_text(text.replace("label: Information", "label: Info"), encoding="utf-8")
    response = client.post(PAGE, data=form)
    assert response.status_code == 303, response.text[-2000:]
    after = region(site).read_text(encoding="utf-8")
    assert "label: Info\n" in after, "their change stays"
    assert after != text.replace("label: Information", "label: Info"), "ours is made too"


def test_the_fit_result_of_the_last_build_is_shown(client: TestClient, site: Site) -> None:
    site.preview.report(
        "  out/new-milford/en/pocket-card.pdf  2 pages, type shrunk to fit: back 91%  (0.50 s)"
    )
    page = client.get(PAGE).text
    assert "pocket-card (en): 2 pages, type shrunk to fit: back 91%" in page


@pytest.mark.parametrize("path", ["/edit/layout/", "/edit/translations/", "/edit/history/"])
def test_an_address_typed_with_a_slash_at_its_end_opens_the_page(
    client: TestClient, path: str
) -> None:
    answer = client.get(path, follow_redirects=True)
    assert answer.status_code == 200, (path, answer.status_code)


def test_regions_are_offered_by_name_and_a_label_says_it_needs_translating(
    client: TestClient,
) -> None:
    page = client.get(PAGE).text
    assert '<option value="new-milford" selected>New Milford</option>' in page
    assert '<option value="danbury" >Danbury</option>' in page
    assert (
        "on the Español, Português, العربية, 简体中文, Tiếng Việt and Kreyòl ayisyen materials "
        "it stays in English"
    ) in page
