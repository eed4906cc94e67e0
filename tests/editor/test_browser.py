"""The editor in a real browser (Debian's Chromium, driven by Playwright, as in
test_serve.py): a number edited in the form changes exactly its line and the card's
thumbnail; an invalid number is shown at its field; two tabs conflict; a write without the
token is refused; and axe-core (packaged, never fetched) finds no serious or critical
accessibility problem on the editor's pages.

Set HANDOUT_SCREENSHOTS=docs to refresh the README's screenshots.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.preview.test_serve import Server, browser  # noqa: F401  (the fixture)

LEGAL_AID = "edit/resource/ct-legal-services"
SCREENSHOTS = os.environ.get("HANDOUT_SCREENSHOTS")


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def shot(page: Page, name: str) -> None:
    """A small screenshot for the README (only when asked for)."""
    if SCREENSHOTS:
        from PIL import Image

        path = Path(SCREENSHOTS) / name
        page.screenshot(path=str(path))
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=32)
        small.save(path, optimize=True)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def test_edit_a_number_in_the_browser(
    browser: Browser,  # noqa: F811
    content_copy: Path,
    tmp_path: Path,
) -> None:
    local = content_copy / "resources" / "local.yaml"
    server = Server(
        "--content", content_copy, "--out", tmp_path / "out", "--region", "new-milford",
        "--lang", "en", "--material", "pocket-card", "--jobs", "1",
    )  # fmt: skip
    try:
        url = server.url()
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(url)
        thumbnail = page.locator("#new-milford-en-pocket-card img").nth(1)
        expect(thumbnail).to_be_visible()
        old_thumbnail = thumbnail.get_attribute("src")

        # The records list, searched, leads to the record's form.
        page.get_by_role("link", name="Edit the facts").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Records and laws")
        assert serious_violations(page) == []
        page.get_by_label("Search records and laws").fill("legal")
        page.get_by_role("button", name="Search").click()
        shot(page, "editor-records.png")
        page.get_by_role("link", name="Connecticut Legal Services").click()
        assert serious_violations(page) == []

        # An invalid number: the error at the field and in the summary, the file unchanged.
        before = local.read_text(encoding="utf-8")
        number = page.locator("#f-phones-0-number")
        page.get_by_label("Your name").fill("Dana")
        number.fill("(860) 555-01")
        page.get_by_role("button", name="Save changes").click()
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("There is a problem")
        expect(page.locator("#f-phones-0-number-error")).to_contain_text(
            "cannot be a real phone number"
        )
        assert serious_violations(page) == []
        shot(page, "editor-error.png")
        summary.get_by_role("link").first.click()
        expect(number).to_be_focused()
        assert local.read_text(encoding="utf-8") == before

        # A valid number: only its line changes, then the preview shows the new card.
        number.fill("(800) 453-3321")
        expect(page.get_by_label("Your name")).to_have_value("Dana")  # kept after the refusal
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_role("status")).to_contain_text("Saved.")
        after = local.read_text(encoding="utf-8")
        assert changed_lines(before, after) == [
            "-      - number: (800) 453-3320",
            "+      - number: (800) 453-3321",
        ]
        page.get_by_role("link", name="see them in the preview").click()
        expect(thumbnail).not_to_have_attribute("src", str(old_thumbnail))
        # Leave the live gallery now: it reloads itself when a build ends, and the saves
        # below start builds; a reload racing a later goto() would land back on the gallery.
        page.goto(url + "edit/")

        # Two tabs on the same record: the second save is refused, showing the first.
        first, second = browser.new_page(), browser.new_page()
        for tab in (first, second):
            tab.goto(url + LEGAL_AID)
        first.get_by_label("Your name").fill("Robin")
        first.locator("#f-phones-0-number").fill("(800) 453-3320")
        first.get_by_role("button", name="Save changes").click()
        expect(first.get_by_role("status")).to_contain_text("Saved.")
        saved = local.read_text(encoding="utf-8")
        # Empty optional fields are folded under "More fields" (a <details>, no script).
        hours = second.locator("#f-hours")
        expect(hours).to_be_hidden()
        second.locator("summary", has_text="More fields").click()
        hours.fill("Always open")
        second.get_by_label("Your name").fill("Sam")
        second.get_by_role("button", name="Save changes").click()
        conflict = second.get_by_role("heading", name="Someone else changed this record")
        expect(conflict).to_be_visible()
        their_number = second.locator("table.sides tbody tr").filter(has_text="Phone 1, number")
        expect(their_number.locator("td.theirs")).to_have_text("(800) 453-3320")
        assert local.read_text(encoding="utf-8") == saved
        shot(second, "editor-conflict.png")

        # A write without the token (as another site's page would send) is refused.
        refused = page.request.post(
            url + LEGAL_AID,
            form={"phones.0.number": "(860) 355-0000"},
            headers={"Origin": url.rstrip("/")},
        )
        assert refused.status == 403
        assert local.read_text(encoding="utf-8") == saved

        # Cards and flyer: a row moved up with its button.
        page.goto(url + "edit/layout/new-milford")
        assert serious_violations(page) == []
        back = page.get_by_role("region", name="Pocket card, back")
        back.get_by_role("button", name="Move up").first.click()
        expect(page.get_by_role("status")).to_contain_text("Saved.")
        region = (content_copy / "regions" / "new-milford.yaml").read_text(encoding="utf-8")
        assert region.index("label: Drug or alcohol help") < region.index("label: Free legal aid")
        shot(page, "editor-layout.png")

        # Deleting asks first; a record still printed cannot be deleted, and says where.
        page.goto(url + LEGAL_AID)
        page.get_by_role("link", name="Delete Connecticut Legal Services").click()
        expect(page.get_by_role("heading", name="It cannot be deleted yet")).to_be_visible()
        expect(page.get_by_role("button", name="Yes, delete it")).to_have_count(0)
        assert serious_violations(page) == []
        shot(page, "editor-delete.png")

        # The re-checks and history pages.
        page.goto(url + "edit/rechecks")
        expect(page.get_by_role("heading", level=1)).to_have_text("Facts to re-check")
        assert serious_violations(page) == []
        shot(page, "editor-rechecks.png")
        page.goto(url + "edit/history")
        expect(page.get_by_role("cell", name="Dana").first).to_be_visible()
        assert serious_violations(page) == []
        shot(page, "editor-history.png")
        for tab in (page, first, second):
            tab.close()
    finally:
        code = server.stop()
    assert code == 0, server.log


def test_edit_a_translation_in_the_browser(
    browser: Browser,  # noqa: F811
    content_copy: Path,
    tmp_path: Path,
) -> None:
    po = content_copy / "locale" / "es.po"
    server = Server(
        "--content", content_copy, "--out", tmp_path / "out", "--region", "new-milford",
        "--lang", "es", "--material", "pocket-card", "--jobs", "1",
    )  # fmt: skip
    try:
        url = server.url()
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(url)
        thumbnail = page.locator("#new-milford-es-pocket-card img").first
        expect(thumbnail).to_be_visible()
        old_thumbnail = thumbnail.get_attribute("src")

        page.goto(url + "edit/translations/es?state=all&material=pocket-card")
        assert serious_violations(page) == []
        shot(page, "editor-translations.png")
        page.get_by_label("Your name", exact=True).fill("Ana")
        box = page.get_by_label("Español: translation of “Help near {region}”")
        box.fill("Ayuda cerca de la ciudad")
        row = page.locator("form.translation", has=box)
        expect(row.locator(".error-message")).to_contain_text("{region}")  # as typed
        box.fill("Ayuda gratis en {region}")
        expect(row.locator(".error-message")).to_be_empty()
        row.get_by_role("button", name="Save this translation").click()
        expect(page.get_by_role("status").first).to_contain_text("Saved.")
        assert 'msgstr "Ayuda gratis en {region}"' in po.read_text(encoding="utf-8")

        page.goto(url)
        expect(thumbnail).not_to_have_attribute("src", str(old_thumbnail))
        page.close()
    finally:
        code = server.stop()
    assert code == 0, server.log
