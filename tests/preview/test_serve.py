"""`python build.py serve` in a real browser: headless Chromium (Debian's, never a
downloaded one) driven by Playwright against the server running on a copy of the content.

One region and one language keep the builds to seconds. The test never reloads the page
itself: the page must notice each rebuild and bring in the new page on its own (without
reloading, and never showing a thumbnail's frame without its picture).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from handout.cli.serve import STOP_WITHIN_S
from tests.conftest import REGULAR, ROOT, edit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 90_000

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (.ci/run does)", pytrace=False)
    pytest.skip(
        "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, expect, sync_playwright  # noqa: E402

WATCH_PICTURES = """() => {
  window.watched = { empty: [], swaps: 0 };
  const check = (mutations) => {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (node.nodeName === "MAIN") window.watched.swaps += 1;
      }
    }
    for (const img of document.querySelectorAll("img")) {
      const box = img.getBoundingClientRect();
      const visible = box.width > 0 && box.bottom > 0 && box.top < innerHeight;
      if (visible && !(img.complete && img.naturalWidth > 0)) {
        window.watched.empty.push(img.getAttribute("src"));
      }
    }
  };
  new MutationObserver(check).observe(document.body, {
    subtree: true, childList: true, attributes: true,
  });
}"""
"""Records, at every change of the page, each visible picture without a decoded image, and
how many times the gallery was swapped (a reload would drop `window.watched`)."""


class Server:
    """`python build.py serve` as a subprocess; its output is collected as it comes."""

    def __init__(self, *args: str | Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # SIGABRT prints every thread
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def url(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                found = re.search(r"http://127\.0\.0\.1:\d+/", line)
                if found:
                    return found.group(0)
            assert self.process.poll() is None, f"serve stopped:\n{self.log}"
            time.sleep(0.05)
        raise AssertionError(f"serve printed no address:\n{self.log}")

    def stop(self) -> int:
        """SIGTERM, and the exit code. Serve ends itself at most `STOP_WITHIN_S` later; if it
        does not, where each of its threads stood is printed (faulthandler) in the error."""
        self.process.terminate()
        try:
            return self.process.wait(timeout=STOP_WITHIN_S + 40)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.reader.join(timeout=10)
            raise AssertionError(f"serve did not stop:\n{self.log}") from None
        finally:
            self.reader.join(timeout=10)
            assert self.process.stdout is not None
            self.process.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_live_preview_lists_filters_updates_and_shows_mistakes(
    browser: Browser, content_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    server = Server("--content", content_copy, "--out", out, "--region", "new-milford",
                    "--lang", "en", *REGULAR, "--jobs", "2")  # fmt: skip
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(server.url())

        # The gallery lists every variant (the page reloads itself after the first build).
        variants = page.locator("article.variant")
        expect(variants).to_have_count(4)
        expect(page.get_by_role("heading", level=1)).to_contain_text("preview gallery")
        page.wait_for_function(
            "() => [...document.images].every(i => i.complete && i.naturalWidth)"
        )
        page.evaluate(WATCH_PICTURES)  # from now on, no visible picture without its image

        # A filter (found by its label) narrows the list; "Show all" widens it again.
        page.get_by_label("Material").select_option("flyer")
        expect(page.locator("article.variant:visible")).to_have_count(1)
        expect(page.locator("#new-milford-en-flyer")).to_be_visible()
        expect(page.get_by_role("status").first).to_have_text("Showing 1 of 4 variants")
        page.get_by_role("button", name="Show all").click()
        expect(page.locator("article.variant:visible")).to_have_count(4)

        # Editing a content file re-renders the card and its thumbnails (the legal aid
        # number is on the card's back: page 2).
        card = page.locator("#new-milford-en-pocket-card img")
        old_sources = [image.get_attribute("src") for image in card.all()]
        old_back = page.request.get(server.url() + str(old_sources[1])).body()
        edit(content_copy / "resources" / "local.yaml", "(800) 453-3320", "(800) 453-3321")
        expect(card.first).not_to_have_attribute("src", str(old_sources[0]))
        new_sources = [image.get_attribute("src") for image in card.all()]
        assert len(new_sources) == 2 and not set(new_sources) & set(old_sources)
        new_back = page.request.get(server.url() + str(new_sources[1])).body()
        assert new_back[:4] == b"RIFF" and new_back != old_back
        expect(page.locator("#new-milford-en-discreet-card img").first).to_be_visible()
        assert page.evaluate("window.watched.empty") == [], "an empty frame during the swap"

        # A mistake shows on the page, with its file, line and fix, instead of the previews.
        edit(content_copy / "resources" / "local.yaml", "    phones:", "    phnoes:")
        problem = page.locator("#build-error")
        expect(problem).to_be_visible()
        expect(problem).to_contain_text(re.compile(r"local\.yaml:\d+:\d+"))
        expect(problem).to_contain_text("unknown field `phnoes`")
        expect(problem).to_contain_text("Fix: did you mean `phones`?")
        expect(variants).to_have_count(0)

        # Fixing it brings the gallery back.
        edit(content_copy / "resources" / "local.yaml", "    phnoes:", "    phones:")
        expect(variants).to_have_count(4)
        expect(problem).to_have_count(0)
        watched = page.evaluate("window.watched")  # still there: the page never reloaded
        assert watched["empty"] == [], watched
        page.close()
        deadline = time.monotonic() + 300
        while not server.lines[-1].startswith("Rebuilt"):  # the booklet, after the card
            assert time.monotonic() < deadline and server.process.poll() is None, server.log
            time.sleep(0.05)
    finally:
        code = server.stop()
    assert code == 0, server.log
    assert "Stopped." in server.log
    # The pocket card and the booklet were rebuilt, by one rebuild or, when a save stopped
    # the one before (each save starts over at once), by more.
    edited = server.log[server.log.index("Changed:") :]
    assert "en/pocket-card.pdf  2 pages" in edited and "en/booklet.pdf  24 pages" in edited
    assert "Exception" not in server.log, "a request during the first build is no error"
    on_disk = (out / "index.html").read_text(encoding="utf-8")
    assert "__handout__" not in on_disk, "the reload script is only added when served"
