"""The translations page without a browser: texts side by side with filters, a saved
translation written with Babel (no longer outdated), placeholders checked, and a language
marked reviewed in project.yaml."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handout.content.i18n import read_catalog
from handout.content.read import read_content
from handout.editor.app import Site
from handout.preview.live import Preview
from tests.conftest import TEMPLATES, edit

TEXT = "Help near {region}"


@pytest.fixture
def site(content_copy: Path, tmp_path: Path) -> Site:
    edit(
        content_copy / "locale" / "es.po",
        f'#, python-brace-format\nmsgid "{TEXT}"',
        f'#, fuzzy, python-brace-format\nmsgid "{TEXT}"',
    )
    out = tmp_path / "out"
    out.mkdir()
    return Site(Preview(out, "Test"), content_copy, out, TEMPLATES)


def hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page))


def message(site: Site, text: str = TEXT):  # type: ignore[no-untyped-def]
    catalog = read_catalog(site.content / "locale" / "es.po", "es")
    return catalog.get(text)


def test_lists_outdated_texts_side_by_side_and_filters(client: TestClient) -> None:
    page = client.get("/edit/translations/es").text
    # Spanish is not reviewed: every translation is a draft a person must read, listed
    # first, then the outdated text, then the missing ones (none).
    summary = re.search(
        r"<strong>(\d+) texts need a person:</strong> <a[^>]*>(\d+) drafts to review</a>, "
        r"<a[^>]*>1 outdated</a>, <a[^>]*>0 missing</a>\.",
        page,
    )
    assert summary is not None, "by default: what needs a person"
    assert int(summary.group(1)) == int(summary.group(2)) + 1 > 10
    states = re.findall(r'class="status status-(\w+)[^"]*">([^<]*)<', page)
    assert states[0] == ("translated", "draft to review") and len(states) == 40, "one page"
    last = client.get("/edit/translations/es", params={"page": "99"}).text  # the last page
    assert re.findall(r'class="status status-(\w+)[^"]*">', last)[-1] == "outdated"
    assert "Previous texts" in last and "Next texts" not in last
    assert TEXT in last and "Ayuda cerca de {region}" in last
    every = client.get("/edit/translations/es", params={"state": "all"}).text
    card = client.get(
        "/edit/translations/es",
        params={"state": "all", "material": "pocket-card", "region": "new-milford"},
    ).text
    count = lambda page: int(re.search(r"(\d+) texts?\.", page).group(1))  # noqa: E731
    assert count(every) > count(card) > 1
    assert "Not ready to be marked reviewed" in every  # 1 outdated: not yet


def test_saving_writes_the_po_file_and_clears_outdated(client: TestClient, site: Site) -> None:
    page = client.get("/edit/translations/es").text
    response = client.post(
        "/edit/translations/es",
        data={**hidden(page), "english": TEXT, "translation": "Ayuda en {region}"},
    )
    assert response.status_code == 303, response.text
    saved = message(site)
    assert saved.string == "Ayuda en {region}" and not saved.fuzzy
    assert message(site, "Appointment reminder").string == "Recordatorio de cita", (
        "the others are kept"
    )
    after = client.get(response.headers["location"]).text
    assert re.search(r"drafts to review</a>, <a[^>]*>0 outdated</a>, <a[^>]*>0 missing</a>", after)
    assert "translated into es" in client.get("/edit/history").text


def test_a_lost_placeholder_is_refused(client: TestClient, site: Site) -> None:
    before = (site.content / "locale" / "es.po").read_bytes()
    page = client.get("/edit/translations/es").text
    response = client.post(
        "/edit/translations/es",
        data={**hidden(page), "english": TEXT, "translation": "Ayuda cerca de Danbury"},
    )
    assert response.status_code == 422
    assert "must keep the placeholders exactly as in English: {region}" in response.text
    assert "Ayuda cerca de Danbury" in response.text, "what was typed is kept"
    assert (site.content / "locale" / "es.po").read_bytes() == before


def test_a_write_without_the_token_is_refused(client: TestClient, site: Site) -> None:
    before = (site.content / "locale" / "es.po").read_bytes()
    response = client.post("/edit/translations/es", data={"english": TEXT, "translation": "x"})
    assert response.status_code == 403
    assert (site.content / "locale" / "es.po").read_bytes() == before


def test_a_reviewer_marks_a_language_reviewed(client: TestClient, site: Site) -> None:
    """Not in one click: refused while a text is outdated or missing (with links to them),
    then only with the reviewer's own name (never filled in from the remembered one) and
    the box ticked that they are a native speaker who read every text."""
    project = site.content / "project.yaml"
    before = project.read_text(encoding="utf-8")
    page = client.get("/edit/translations/es").text
    assert "Not ready to be marked reviewed:</strong> 1 text still needs a translation" in page
    assert '<a href="/edit/translations/es?state=outdated">1 outdated</a>' in page
    assert 'id="reviewer"' not in page, "no form while a text is outdated"
    sent = {**hidden(page), "reviewer": "Ana Ruiz", "confirm": "yes"}
    blocked = client.post("/edit/translations/es/review", data=sent)
    assert blocked.status_code == 422
    assert "cannot be marked reviewed yet: 1 text still needs a translation (1 outdated)" in (
        blocked.text
    )
    assert project.read_text(encoding="utf-8") == before

    fixed = {**hidden(page), "english": TEXT, "translation": message(site).string}
    assert client.post("/edit/translations/es", data=fixed).status_code == 303  # remembers Dana
    page = client.get("/edit/translations/es").text
    assert "Mark Español reviewed" in page
    assert 'name="reviewer" value=""' in page, "the remembered name is not filled in"
    assert "I am a native speaker of Español and I have read every text in Español" in page
    refused = client.post("/edit/translations/es/review", data={**hidden(page), "reviewer": ""})
    assert refused.status_code == 422 and "Reviewer is missing" in refused.text
    unticked = client.post(
        "/edit/translations/es/review", data={**hidden(page), "reviewer": "Ana Ruiz"}
    )
    assert unticked.status_code == 422 and "Tick the box only if you read every" in unticked.text
    assert project.read_text(encoding="utf-8") == before
    response = client.post(
        "/edit/translations/es/review",
        data={**hidden(page), "reviewer": "Ana Ruiz", "confirm": "yes"},
    )
    assert response.status_code == 303
    content, problems, _ = read_content(site.content)
    assert not problems
    spanish = content.project.language("es")
    assert spanish.reviewed and spanish.reviewer == f"Ana Ruiz, {datetime.date.today()}"
    after = project.read_text(encoding="utf-8")
    assert after.replace(
        f"    reviewer: Ana Ruiz, {datetime.date.today()}\n", ""
    ) == before.replace(
        "    name: Español\n    reviewed: false", "    name: Español\n    reviewed: true"
    )
    assert "Reviewed by Ana Ruiz" in client.get("/edit/translations/es").text


def test_each_text_links_to_the_pdf_page_printing_it(client: TestClient, site: Site) -> None:
    from handout.build.options import BuildOptions
    from handout.build.pipeline import build

    chosen = BuildOptions(site.content, TEMPLATES, site.out, regions=("new-milford",),
                          languages=("es",), materials=("pocket-card",), jobs=1)  # fmt: skip
    build(chosen, report=lambda _line: None)
    page = client.get(
        "/edit/translations/es", params={"state": "all", "material": "pocket-card"}
    ).text
    row = page[page.index(f'value="{TEXT}"') :]
    row = row[: row.index("</form>")]
    assert 'href="/new-milford/es/pocket-card.pdf#page=2"' in row, "the card's back"
    assert 'href="/danbury/es/pocket-card.pdf' not in row, "only PDFs that were built"


def test_a_right_to_left_language_is_typed_right_to_left(client: TestClient, site: Site) -> None:
    project = site.content / "project.yaml"
    if "code: ar" not in project.read_text(encoding="utf-8"):
        edit(
            project,
            "  - code: pt\n",
            "  - code: ar\n    name: العربية\n    reviewed: false\n  - code: pt\n",
        )
    arabic = client.get("/edit/translations/ar", params={"state": "all"}).text
    assert re.search(r'<textarea [^>]*lang="ar" dir="rtl"', arabic)
    spanish = client.get("/edit/translations/es", params={"state": "all"}).text
    assert re.search(r'<textarea [^>]*lang="es" dir="ltr"', spanish)
