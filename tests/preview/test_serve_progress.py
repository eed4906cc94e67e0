"""`python build.py serve` end to end, in a real browser (as test_serve.py): a first start
into an empty folder counts its PDFs in the terminal ("[2/2] ...") and publishes each one
with its gallery page as soon as it is made; then, while a rebuild replaces the card, every
thumbnail the open page shows answers 200 with a picture, before, during and after the build
removed it from the output folder.

One region, one language, the two cards (seconds to render), one job (so each PDF is
published on its own).
"""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, expect

from tests.conftest import edit
from tests.preview.test_serve import TIMEOUT_MS, Server, browser  # noqa: F401  (the fixture)

SHOTS = Path(os.environ.get("HANDOUT_SHOTS", "/tmp/previewui-shots"))
SUBSET = ("--region", "new-milford", "--lang", "en",
          "--material", "pocket-card", "discreet-card", "--jobs", "1")  # fmt: skip


def published(log: list[str]) -> list[str]:
    """What the first build printed of its PDFs and gallery pages, in order."""
    end = next((n for n, line in enumerate(log) if line.startswith("Rebuilt")), len(log))
    order = []
    for line in log[:end]:
        if found := re.search(r"\[(\d/\d)\] \S+/([\w-]+)\.pdf  ", line):
            order.append(f"{found.group(1)} {found.group(2)}")
        elif found := re.search(r"index\.html  gallery of (\d) variants", line):
            order.append(f"gallery of {found.group(1)}")
    return order


def is_picture(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format == "WEBP"
    except Exception:
        return False


def test_first_start_fills_in_and_thumbnails_never_go_blank(
    browser: Browser,  # noqa: F811
    content_copy: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    server = Server("--content", content_copy, "--out", out, *SUBSET)
    try:
        url = server.url()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)

        # Each PDF is published with its gallery page as soon as it is made, counted.
        images = page.locator("article.variant img")
        expect(page.locator("article.variant")).to_have_count(2)
        expect(images).to_have_count(4)
        deadline = time.monotonic() + 120
        while not any(line.startswith("Rebuilt") for line in server.lines):
            assert time.monotonic() < deadline and server.process.poll() is None, server.log
            time.sleep(0.05)  # waiting for the build's last line, not racing it
        assert "Rendering 2 PDFs; each shows in the preview when it is ready." in server.log
        assert published(server.lines) == [
            "1/2 pocket-card", "gallery of 1", "2/2 discreet-card", "gallery of 2",
        ], server.log  # fmt: skip

        # The way in to the editor, at the top of the gallery.
        banner = page.get_by_role("navigation", name="Editor")
        expect(banner.get_by_role("link", name="Edit the facts")).to_be_visible()
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth)")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "gallery.png"))

        # A rebuild replaces the card's thumbnails: the old ones answer all along.
        old = [str(src) for src in images.evaluate_all("all => all.map(i => i.src)")]
        card = page.locator("#new-milford-en-pocket-card img").first
        old_card = str(card.get_attribute("src"))
        edit(content_copy / "resources" / "local.yaml", "(800) 453-3320", "(800) 453-3321")
        probes = 0
        while sum(line.startswith("Rebuilt") for line in server.lines) < 2:
            assert time.monotonic() < deadline + 120 and server.process.poll() is None, server.log
            for src in old:
                answer = page.request.get(src)
                assert answer.status == 200 and is_picture(answer.body()), (src, answer.status)
            probes += 1
        assert probes, "the rebuild was not probed"
        assert not (out / old_card).exists(), "the build removed the old card's thumbnail"
        for src in old:  # after the build, the page still open may ask for them
            answer = page.request.get(src)
            assert answer.status == 200 and is_picture(answer.body()), src

        # The page reloaded itself with the new card, every picture shown.
        expect(card).not_to_have_attribute("src", old_card)
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth)")
        page.close()
    finally:
        code = server.stop()
    assert code == 0, server.log
    assert "[1/1] " in server.log  # the rebuild counted its one PDF
