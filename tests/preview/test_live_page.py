"""The live preview's page as `serve` serves it, with the build's side played by the test:
the real app (`handout.editor.app`) on a real socket, a real browser (Debian's Chromium, as
in test_serve.py), and a `Preview` told what a build would tell it. Fast (no rendering), and
no race: the test says when the build has got how far.

- The way in to the editor is a banner with a button that says what it does, only when the
  editor can open the records.
- While a build runs, the page says how far it is: "n of N PDFs done" and the latest.
- A thumbnail of the page a browser shows stays there (200, the same picture) after the
  build removed it from the output folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from handout.build.gallery import Labels, gallery_html, thumbnail_name
from handout.build.pipeline import VariantsFailed
from handout.content.errors import BuildError, ContentErrors, Problem
from handout.editor.app import make_app
from handout.editor.security import allowed_hosts
from handout.editor.site import Site
from handout.preview.live import Preview
from handout.preview.server import Server
from tests.editor.test_browser import serious_violations
from tests.preview.test_serve import (
    WATCH_PICTURES,
    browser,  # noqa: F401  (the fixture)
)

SHOTS = Path(os.environ.get("HANDOUT_SHOTS", "/tmp/previewui-shots"))
LABELS = Labels("Help guide", {"danbury": "Danbury"}, {"es": "Spanish"})


def gallery(out: Path, sha: str, colour: str) -> str:
    """Write the gallery page of one flyer, as a build would, with a thumbnail of one colour
    for its page; returns the thumbnail's name."""
    entry = {
        "region": "danbury", "lang": "es", "material": "flyer", "path": "danbury/es/flyer.pdf",
        "pages": 1, "page_size_pt": [612, 792], "sha256": sha * 64, "type_scale": {},
        "print_path": None, "press_path": None, "warnings": {},
    }  # fmt: skip
    name = thumbnail_name(entry, 1)
    path = out / "thumbnails" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (120, 155), colour).save(path, "WEBP")
    page = gallery_html(out, [entry], LABELS, [], digest="0123456789abcdef0123")
    (out / "index.html").write_text(page, encoding="utf-8")
    return name


@pytest.fixture
def serving(content_copy: Path, tmp_path: Path) -> Iterator[tuple[Preview, str]]:
    out = tmp_path / "out"
    preview = Preview(out, LABELS.title, LABELS)
    site = Site(preview, content_copy, out)
    server = Server(lambda port: make_app(site, allowed_hosts(port)), 0)
    try:
        yield preview, f"http://127.0.0.1:{server.port}/"
    finally:
        server.stop()


def open_page(browser: Browser, url: str) -> Page:  # noqa: F811
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    page.set_default_timeout(30_000)
    page.goto(url)
    return page


def test_first_build_shows_how_far_it_is_and_the_editor_banner(
    browser: Browser,  # noqa: F811
    serving: tuple[Preview, str],
) -> None:
    preview, url = serving
    preview.started()
    page = open_page(browser, url)
    expect(page.get_by_role("heading", name="Building the preview")).to_be_visible()
    progress = page.locator("#build-progress")
    expect(progress).to_contain_text("Reading the content")

    preview.progress(0, 36)
    expect(progress).to_have_text("0 of 36 PDFs done.")
    preview.progress(1, 36)
    preview.report("  out/danbury/es/flyer.pdf  1 page  (1.20 s)")
    expect(progress).to_contain_text("1 of 36 PDFs done. Latest: Danbury, Spanish, Flyer.")
    expect(progress.locator("progress")).to_have_attribute("max", "36")
    assert progress.locator("progress").evaluate("bar => bar.value") == 1

    # The editor's way in: a banner with a button saying what it does.
    banner = page.get_by_role("navigation", name="Editor")
    expect(banner).to_contain_text("Is a phone number, address or opening time wrong?")
    button = banner.get_by_role("link", name="Edit the facts")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["height"] >= 40 and box["y"] < 120, box
    colour = button.evaluate("link => getComputedStyle(link).backgroundColor")
    assert colour == "rgb(10, 61, 107)", colour
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "first-build.png"))

    # The first PDFs are published: the gallery shows them, and says more are coming.
    gallery(preview.out_dir, "a", "red")
    preview.published()
    note = page.locator(".live-status")
    expect(note).to_have_text(
        "Building the preview: 1 of 36 PDFs done; each shows here when it is made. "
        "Latest: Danbury, Spanish, Flyer."
    )
    expect(page.get_by_role("navigation", name="Editor")).to_be_visible()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 380, "height": 700})  # a phone: the button stays whole
    page.screenshot(path=str(SHOTS / "gallery-narrow.png"))
    button = page.get_by_role("navigation", name="Editor").get_by_role("link")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 380, box
    button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records and laws")
    page.close()


def test_a_rebuild_shows_its_progress_in_the_gallery(
    browser: Browser,  # noqa: F811
    serving: tuple[Preview, str],
) -> None:
    preview, url = serving
    name = gallery(preview.out_dir, "a", "red")
    thumbnail = (preview.out_dir / "thumbnails" / name).read_bytes()
    preview.finished(None)
    page = open_page(browser, url)
    expect(page.locator("img")).to_have_count(1)
    note = page.locator(".live-status")
    expect(note).to_be_hidden()

    preview.started()
    preview.progress(3, 9)
    preview.report("  out/danbury/es/flyer.pdf  1 page  (1.20 s)")
    expect(note).to_be_visible()
    expect(note).to_have_text("Rebuilding: 3 of 9 PDFs done. Latest: Danbury, Spanish, Flyer.")
    assert page.locator("img").evaluate("image => image.naturalWidth") == 120
    page.screenshot(path=str(SHOTS / "rebuild-progress.png"))

    # The build removed the thumbnail the page shows: it is served all the same.
    (preview.out_dir / "thumbnails" / name).unlink()
    answer = page.request.get(url + "thumbnails/" + name)
    assert answer.status == 200 and answer.body() == thumbnail
    assert answer.headers["content-type"] == "image/webp"
    assert page.request.get(url + "thumbnails/other_p1.webp").status == 404
    page.close()


def test_the_editor_banner_only_if_the_content_loads(serving: tuple[Preview, str]) -> None:
    preview, _url = serving
    mistake = ContentErrors([Problem(Path("resources/local.yaml"), "a mistake", "fix it", 3)])
    preview.finished(mistake, editor_open=False)
    page = preview.served_page().decode()
    assert "a mistake" in page and "Edit the facts" not in page
    assert "Nothing in the output folder was changed." in page

    # The content loads, and a PDF was published before a later one failed its checks.
    preview.started()
    preview.progress(1, 3)
    preview.report("  out/danbury/es/flyer.pdf  1 page  (1.20 s)")
    preview.finished(BuildError("danbury/es/booklet: the cover does not fit"), editor_open=True)
    page = preview.served_page().decode()
    assert "Edit the facts" in page and "does not fit" in page
    assert "The 1 PDF made before the\nmistake was found was saved" in page


def test_the_thumbnails_of_a_replaced_page_are_kept(tmp_path: Path) -> None:
    """The gallery the browser still shows was replaced, and its thumbnails removed from the
    output folder: the preview still has them, until long after the new page is served."""
    out = tmp_path / "out"
    old = gallery(out, "a", "red")
    old_image = (out / "thumbnails" / old).read_bytes()
    preview = Preview(out, "Test")  # the last build's gallery is shown at once
    assert old.encode() in preview.served_page()
    new = gallery(out, "b", "blue")
    preview.published()
    (out / "thumbnails" / old).unlink()
    assert preview.kept.image(old) == old_image
    assert preview.kept.image(new) == (out / "thumbnails" / new).read_bytes()
    assert preview.kept.image("danbury_es_flyer_cccccccccccc_p1.webp") is None


def test_a_variant_that_failed_keeps_the_gallery_with_the_problem_above(
    browser: Browser,  # noqa: F811
    serving: tuple[Preview, str],
) -> None:
    """A card that does not fit: the other previews stay, the problem is above them naming
    the card and the fix, and the card is marked. A content mistake still replaces it all."""
    preview, url = serving
    gallery(preview.out_dir, "a", "red")
    preview.finished(None)
    page = open_page(browser, url)
    expect(page.locator("img")).to_have_count(1)

    message = (
        "danbury/es/flyer: the page part does not fit even at the smallest legible type "
        "(10 pt): it is 2 pt (0.03 in) too long; shorten its text or pick fewer entries"
    )
    preview.started()
    preview.finished(VariantsFailed([("danbury/es/flyer", message)]), editor_open=True)
    problem = page.get_by_role("alert")
    expect(problem).to_contain_text("This material was not updated")
    expect(problem).to_contain_text("Danbury, Spanish, Flyer: the page part does not fit")
    expect(problem).to_contain_text("shorten its text or pick fewer entries")
    card = page.locator("article.variant#danbury-es-flyer")
    expect(card.locator(".not-updated")).to_have_text("Not updated: see the problem above.")
    image = card.locator("img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("navigation", name="Editor").is_visible()
    assert serious_violations(page) == []
    page.screenshot(path=str(SHOTS / "variant-failed.png"), full_page=True)

    # A mistake in the content (it does not load) still replaces the gallery.
    mistake = ContentErrors([Problem(Path("resources/local.yaml"), "a mistake", "fix it", 3)])
    preview.finished(mistake, editor_open=False)
    expect(page.locator("article.variant")).to_have_count(0)
    expect(page.locator("#build-error")).to_contain_text("a mistake")
    page.close()


def test_new_thumbnails_are_swapped_in_loaded_never_as_an_empty_frame(
    browser: Browser,  # noqa: F811
    serving: tuple[Preview, str],
) -> None:
    preview, url = serving
    gallery(preview.out_dir, "a", "red")
    preview.finished(None)
    page = open_page(browser, url)
    image = page.locator("article.variant img")
    expect(image).to_have_count(1)
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    page.evaluate(WATCH_PICTURES)

    # A rebuild publishes a new picture: the page swaps it in, loaded, without reloading.
    preview.started()
    new = gallery(preview.out_dir, "b", "blue")
    preview.published()
    expect(image).to_have_attribute("src", f"thumbnails/{new}")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
    assert page.evaluate("window.watched") == {"empty": [], "swaps": 1}

    # The build ends with the same page: nothing to swap. The next set: one swap more.
    preview.finished(None)
    preview.started()
    newer = gallery(preview.out_dir, "c", "green")
    preview.published()
    expect(image).to_have_attribute("src", f"thumbnails/{newer}")
    assert page.evaluate("window.watched") == {"empty": [], "swaps": 2}
    # The filters still work on the swapped-in page (its script ran again).
    page.get_by_label("Material").select_option("flyer")
    expect(page.get_by_role("status").first).to_have_text("Showing 1 of 1 variants")
    page.close()


@pytest.mark.parametrize("cut", ["__handout__/status", "__handout__/events"])
def test_a_new_page_comes_by_the_stream_or_else_by_polling(
    browser: Browser,  # noqa: F811
    serving: tuple[Preview, str],
    cut: str,
) -> None:
    """The page hears of a new version by the event stream; with the polls cut off it still
    does (the stream alone), and with the stream cut off too (polling, the fallback). The
    Content Security Policy lets both through."""
    preview, url = serving
    gallery(preview.out_dir, "a", "red")
    preview.finished(None)
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    page.set_default_timeout(30_000)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.route(f"**/{cut}*", lambda route: route.abort())
    page.goto(url)
    image = page.locator("article.variant img")
    expect(image).to_have_count(1)

    preview.started()
    new = gallery(preview.out_dir, "b", "blue")
    preview.published()
    expect(image).to_have_attribute("src", f"thumbnails/{new}")
    preview.progress(2, 9)
    expect(page.locator(".live-status")).to_contain_text("2 of 9 PDFs done")
    assert not [text for text in messages if "Content Security Policy" in text], messages
    page.close()
