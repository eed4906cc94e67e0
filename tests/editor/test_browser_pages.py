"""The editor's pages in a real browser (Debian's Chromium, driven by Playwright), as a
coordinator who never saw YAML meets them: the name typed once and signing every change,
undo included; two people saving the same record; the translations and re-checks pages.

The editor's app is served in this process (no build runs: these pages need none), so each
test takes seconds. Set EDITOR_SHOTS=folder to keep full-page screenshots of each page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from handout.editor.app import Site, make_app
from handout.editor.security import allowed_hosts
from handout.preview.live import Preview
from handout.preview.server import Server
from tests.conftest import TEMPLATES
from tests.editor.test_browser import serious_violations
from tests.preview.test_serve import browser  # noqa: F401  (the fixture)

POLICE = "edit/resource/new-milford-police"
SHOTS = os.environ.get("EDITOR_SHOTS")


@pytest.fixture
def editor(content_copy: Path, tmp_path: Path) -> Iterator[tuple[str, Site]]:
    """The editor served on a free port: its address and its site."""
    out = tmp_path / "out"
    out.mkdir()
    site = Site(Preview(out, "Test"), content_copy, out, templates=TEMPLATES)
    server = Server(lambda port: make_app(site, allowed_hosts(port)), 0)
    try:
        yield f"http://127.0.0.1:{server.port}/", site
    finally:
        server.stop()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot, when asked for (EDITOR_SHOTS)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def nothing_cut_off(page: Page) -> None:
    """No part of the page is wider than the window (nothing hidden off the right)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px cut off on the right"


def test_the_name_is_typed_once_and_signs_every_change(
    browser: Browser,  # noqa: F811
    editor: tuple[str, Site],
) -> None:
    url, site = editor
    region = site.content / "regions" / "new-milford.yaml"
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()

    # No name yet: a change is not sent, and the page says why, at the name.
    page.goto(url + "edit/layout/new-milford")
    before = region.read_text(encoding="utf-8")
    back = page.get_by_role("region", name="Pocket card, back")
    back.get_by_role("button", name="Move up").first.click()
    expect(page.locator("#who-message")).to_have_text(
        "Write your name first: the history keeps it with each change."
    )
    expect(page.get_by_label("Your name")).to_be_focused()
    assert region.read_text(encoding="utf-8") == before

    # Typed once, it signs the layout change, and every other page fills it in.
    page.get_by_label("Your name").fill("Dana Whitfield")
    back.get_by_role("button", name="Move up").first.click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    for path, box in (("edit/rechecks", "#editor-name"), (POLICE, "#f-who")):
        other = context.new_page()
        other.goto(url + path)
        expect(other.locator(box)).to_have_value("Dana Whitfield")
        other.close()

    # The history names her, and an undo says in words what it undid.
    page.goto(url + "edit/history")
    expect(page.get_by_role("cell", name="Dana Whitfield")).to_have_count(1)
    page.get_by_role("button", name="Undo").first.click()
    expect(page.get_by_role("status")).to_contain_text("Undone.")
    undo_row = page.get_by_role("row").filter(has_text="Undid “")
    expect(undo_row).to_contain_text("Dana Whitfield")
    expect(undo_row).to_contain_text("in new-milford” (change #0)")
    assert region.read_text(encoding="utf-8") == before
    assert serious_violations(page) == []
    nothing_cut_off(page)
    shot(page, "history.png")
    context.close()


def test_two_people_saving_one_record_see_both_versions_and_keep_one(
    browser: Browser,  # noqa: F811
    editor: tuple[str, Site],
) -> None:
    url, site = editor
    local = site.content / "resources" / "local.yaml"
    robin = browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    sam = browser.new_context(viewport={"width": 800, "height": 800}).new_page()
    for page in (robin, sam):
        page.goto(url + POLICE)
    robin.get_by_label("Your name").fill("Robin")
    robin.locator("#f-phones-0-number").fill("(860) 355-3139")
    robin.get_by_role("button", name="Save changes").click()
    expect(robin.get_by_role("status")).to_contain_text("Saved.")
    theirs = local.read_text(encoding="utf-8")

    long_note = "front desk, ask for the duty officer; " * 6
    sam.get_by_label("Your name").fill("Sam")
    sam.locator("#f-phones-0-number").fill("(860) 355-3134")
    sam.locator("summary", has_text="More about this phone").first.click()
    sam.locator("#f-phones-0-note").fill(long_note.strip())
    sam.get_by_role("button", name="Save changes").click()
    conflict = sam.locator("#conflict")
    expect(conflict.get_by_role("heading")).to_have_text("Someone else changed this record")
    expect(conflict).to_contain_text("Robin saved this record today at")
    rows = conflict.locator("table.sides tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_text("Phone 1, number(860) 355-3139(860) 355-3134")
    expect(rows.nth(1)).to_contain_text("Phone 1, note")
    assert "@@" not in conflict.inner_text()
    assert local.read_text(encoding="utf-8") == theirs
    nothing_cut_off(sam)
    assert serious_violations(sam) == []
    shot(sam, "conflict.png")

    # Keep theirs: their version in the form, mine dropped, nothing written.
    sam.get_by_role("button", name="Keep theirs").click()
    expect(sam.get_by_role("status")).to_contain_text("You kept their version.")
    expect(sam.locator("#f-phones-0-number")).to_have_value("(860) 355-3139")
    assert local.read_text(encoding="utf-8") == theirs

    # Keep mine (after another conflict): mine is written over theirs.
    robin.goto(url + POLICE)
    robin.locator("#f-phones-0-number").fill("(860) 355-3138")
    robin.get_by_role("button", name="Save changes").click()
    expect(robin.get_by_role("status")).to_contain_text("Saved.")
    sam.locator("#f-phones-0-number").fill("(860) 355-3134")
    sam.get_by_role("button", name="Save changes").click()
    expect(sam.locator("#conflict")).to_contain_text("(860) 355-3138")
    sam.get_by_role("button", name="Keep mine").click()
    expect(sam.get_by_role("status")).to_contain_text("Saved.")
    assert "(860) 355-3134" in local.read_text(encoding="utf-8")
    for page in (robin, sam):
        page.context.close()


def test_translations_rechecks_and_a_checked_number_in_the_browser(
    browser: Browser,  # noqa: F811
    editor: tuple[str, Site],
) -> None:
    url, site = editor
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()

    # Translations open on what needs a person: drafts first.
    page.goto(url + "edit/translations/es")
    expect(page.get_by_role("status").first).to_contain_text(
        "drafts to review, 0 outdated, 0 missing"
    )
    expect(page.locator(".status").first).to_have_text("draft to review")
    assert serious_violations(page) == []
    nothing_cut_off(page)
    shot(page, "translations.png")

    # Re-checks: filtered to what was never confirmed, in one region.
    page.goto(url + "edit/rechecks")
    page.get_by_label("Show").select_option("unverified")
    page.get_by_label("Region").select_option("new-milford")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(url + "edit/rechecks?show=unverified&region=new-milford")
    statuses = page.locator("section.due h2 .status")
    expect(statuses.first).to_have_text("Never confirmed")
    assert set(statuses.all_inner_texts()) == {"Never confirmed"}
    assert serious_violations(page) == []
    nothing_cut_off(page)
    shot(page, "rechecks.png")

    # A number changed and checked today: saved with its check.
    page.goto(url + POLICE)
    page.get_by_label("Your name").fill("Dana")
    page.locator("#f-phones-0-number").fill("(860) 355-3134")
    expect(page.locator("#f-check-ask")).to_have_text(
        "You changed this phone number. Did you check it today? Say how here."
    )
    # The question and its fields are right below the changed number, not down by Save.
    number_box = page.locator("#f-phones-0-number").bounding_box()
    how_box = page.get_by_label("How", exact=True).bounding_box()
    assert number_box and how_box and 0 < how_box["y"] - number_box["y"] < 600, how_box
    page.get_by_label("How", exact=True).select_option("call")
    expect(page.locator("#f-check-ask")).to_be_empty()
    page.get_by_label("Where", exact=True).fill("Called the front desk")
    nothing_cut_off(page)
    shot(page, "record-check.png")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and marked checked today")
    text = (site.content / "resources" / "local.yaml").read_text(encoding="utf-8")
    police = text[: text.index("id: ct-state-police-troop-l")]
    assert "checked_how: call" in police and "source: Called the front desk" in police
    assert serious_violations(page) == []
    context.close()
