"""Issue 21, item 4, in a real browser (Debian's Chromium, driven by Playwright): a page of
another origin frames /edit/history (nearly invisible, under a bait) and the browser
refuses to show it, so no click can land on Undo; and the pages still work under their
strict Content Security Policy: their stylesheets apply, their scripts run, and the
browser reports no violation."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect

from handout.build.gallery import Labels, gallery_html
from handout.editor import history
from handout.editor.app import Site, make_app
from handout.editor.security import allowed_hosts
from handout.preview.live import STATUS, Preview
from handout.preview.server import Server
from tests.conftest import TEMPLATES
from tests.preview.test_serve import browser  # noqa: F401  (the fixture)

EDITOR_PAGES = [
    "edit/", "edit/resource/new-milford-police", "edit/new/resource?file=resources/local.yaml",
    "edit/layout/new-milford", "edit/rechecks", "edit/translations/es?state=all",
    "edit/history", "edit/resource/new-milford-police/delete",
]  # fmt: skip


@pytest.fixture
def editor(content_copy: Path, tmp_path: Path) -> Iterator[str]:
    """The editor and a gallery page, served for real on 127.0.0.1, with one change in
    its history (so /edit/history has an Undo button)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text(gallery_html(out, [], Labels(title="Test"), []))
    history.record(out, "Dana", "changed resource new-milford-police", "resources/local.yaml",
                   "before", "after")  # fmt: skip
    preview = Preview(out, "Test")
    preview.finished(None)
    site = Site(preview, content_copy, out, TEMPLATES)
    server = Server(lambda port: make_app(site, allowed_hosts(port)), 0)
    try:
        yield f"http://127.0.0.1:{server.port}/"
    finally:
        server.stop()


@pytest.fixture
def bait(editor: str) -> Iterator[str]:
    """Another site (another origin: another port, and `localhost`) whose page frames the
    editor's history at opacity 0.01 under a button that asks to be clicked."""
    page = (
        "<!DOCTYPE html><html><body><h1>You won!</h1><button>Claim your prize</button>"
        f'<iframe title="prize" src="{editor}edit/history" '
        'style="opacity:0.01;position:absolute;top:0;left:0;width:900px;height:600px">'
        "</iframe></body></html>"
    ).encode()

    class Bait(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Bait)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_another_site_cannot_frame_the_history(
    browser: Browser,  # noqa: F811
    editor: str,
    bait: str,
) -> None:
    page = browser.new_page()
    refused = "frame-ancestors 'none'"
    # The browser says it refused the frame when it does, which may come after the page
    # itself has loaded: wait for that message rather than look once.
    with page.expect_console_message(lambda message: refused in message.text, timeout=60_000):
        page.goto(bait)
    framed = page.frames[1]
    if not framed.url.startswith("chrome-error://"):
        page.wait_for_event(
            "framenavigated", lambda frame: frame.url.startswith("chrome-error://"), timeout=60_000
        )
    assert framed.url.startswith("chrome-error://"), framed.url
    assert framed.locator("button", has_text="Undo").count() == 0
    page.close()


def test_the_pages_work_under_their_policy(browser: Browser, editor: str) -> None:  # noqa: F811
    """No page breaks its own policy: every stylesheet applies and every script runs."""
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    with page.expect_request(lambda request: STATUS in request.url):  # the live script runs
        page.goto(editor)
    expect(page.locator("h1")).to_have_css("color", "rgb(10, 61, 107)")  # gallery.css
    for path in EDITOR_PAGES:
        page.goto(editor + path)
        expect(page.locator("header.top")).to_have_css("background-color", "rgb(11, 12, 12)")
    page.goto(editor + "edit/translations/es?state=all")
    box = page.get_by_label("Español: translation of “Help near {region}”")
    box.fill("Ayuda cerca")  # the page's own script checks placeholders as one types
    expect(page.locator("form.translation", has=box).locator(".error-message")).to_contain_text(
        "{region}"
    )
    page.goto(editor + "edit/layout/new-milford")
    ems = page.locator("input.width-14").first.evaluate(
        "box => { const style = getComputedStyle(box);"
        " return parseFloat(style.width) / parseFloat(style.fontSize); }"
    )
    assert round(ems) == 14, "the label boxes keep their width (a class now, not a style=)"
    assert violations == []
    page.close()
