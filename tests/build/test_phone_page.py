"""The phone edition (`output/<region>/<lang>/index.html`): every region and language, self-
contained and light, neutral in what a phone shows about it, the hotline first; then in a
real browser (Debian's Chromium): no request leaves the page, axe-core finds nothing
(WCAG 2.2 AA), it reads at 320 px and at 200% zoom without sideways scrolling, a screen
reader's tree names every button, and the quick exit leaves no way back."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from handout.content.load import load
from handout.content.words import giveaway_words
from tests.conftest import CONTENT, edit, run_build
from tests.preview.test_serve import browser  # noqa: F401  (the fixture)

REGIONS = ["danbury", "new-milford", "waterbury"]
LANGUAGES = ["en", "es", "pt", "ar", "zh-Hans", "vi", "ht"]
QUICK_EXIT = "https://weather.com/"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class Parts(HTMLParser):
    """What a test reads of a page: its root, title, metas, tags that fetch, links, order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.root: dict = {}
        self.metas: list[dict] = []
        self.fetching: list[str] = []
        self.links: list[str] = []
        self.order: list[str] = []
        self.title = ""
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "html":
            self.root = values
        elif tag == "meta":
            self.metas.append(values)
        elif tag == "title":
            self._in_title = True
        if tag in ("link", "img", "iframe", "object", "embed", "source", "video", "audio") or (
            tag == "script" and "src" in values
        ):
            self.fetching.append(tag)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
            self.order.append(values["href"])
        if tag == "details":
            self.order.append("<details>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def page_path(out: Path, region: str, language: str) -> Path:
    return out / region / language / "index.html"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_phone_page_is_self_contained_light_and_neutral(matrix: Path, language: str) -> None:
    content = load(CONTENT)
    forbidden = content.project.forbidden_on_discreet_front.get(language, [])
    for region in REGIONS:
        path = page_path(matrix, region, language)
        data = path.read_bytes()
        assert len(data) < 150_000, f"{path}: {len(data)} bytes"
        parts = Parts(data.decode("utf-8"))
        assert parts.root["lang"] == language
        assert parts.root["dir"] == ("rtl" if language == "ar" else "ltr")
        assert parts.fetching == [], "nothing fetched: no link, image, frame or script file"
        policy = next(m for m in parts.metas if m.get("http-equiv") == "Content-Security-Policy")
        assert policy["content"].startswith("default-src 'none'")
        assert "'unsafe-inline'" not in policy["content"].split("script-src")[1].split(";")[0]
        # What a phone shows of the page (tab, history, shared link) is neutral.
        shown = [parts.title] + [
            m["content"] for m in parts.metas if m.get("property", "").startswith("og:")
        ]
        for text in shown:
            assert not giveaway_words(text, forbidden), (path, text)
        assert {"name": "referrer", "content": "no-referrer"} in parts.metas
        # The hotline first: call and text (keyword filled in), before any chapter.
        first_chapter = parts.order.index("<details>")
        before = parts.order[:first_chapter]
        assert "tel:+18883737888" in before and "tel:911" in before
        assert "sms:233733?body=HELP" in before
        assert parts.links[0] == QUICK_EXIT
        for link in parts.links:
            assert re.match(r"(https://|tel:|sms:|mailto:|#)", link), link


def test_the_phone_page_says_what_is_unconfirmed_and_how_checked(matrix: Path) -> None:
    html = page_path(matrix, "new-milford", "en").read_text(encoding="utf-8")
    assert "check first" in html, "an unconfirmed fact is marked in words"
    assert re.search(r"checked (online|by phone)", html, re.IGNORECASE)
    assert "delete this page" in html, "how to clear the history"
    assert 'class="see"' in html and "page-ref" not in html, "a web page has no page numbers"
    arabic = page_path(matrix, "new-milford", "ar").read_text(encoding="utf-8")
    assert 'class="draft-note"' in arabic


@pytest.fixture
def phone(browser: Browser) -> Page:  # noqa: F811
    page = browser.new_page(viewport={"width": 320, "height": 720})
    yield page
    page.close()


def _open(page: Page, path: Path) -> list[str]:
    """Open a page from disk and return every request it makes that is not the file."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return [url for url in requests if url != path.as_uri()]


def _sideways(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("language", ["en", "ar", "zh-Hans"])
def test_the_phone_page_in_a_browser(matrix: Path, phone: Page, language: str) -> None:
    path = page_path(matrix, "new-milford", language)
    assert _open(phone, path) == [], "no request leaves the page"
    assert _sideways(phone) <= 0, "no sideways scrolling at 320 px"
    # Every chapter opened, axe-core (packaged, never fetched) finds nothing at WCAG 2.2 AA.
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert _sideways(phone) <= 0
    results = Axe().run(phone, options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert violations == []
    # 200% zoom on a 640 px wide window: still one column, nothing sideways.
    phone.set_viewport_size({"width": 640, "height": 720})
    phone.evaluate("document.documentElement.style.zoom = '2'")
    assert _sideways(phone) <= 0
    # What a screen reader is given: a title, the quick exit, named call buttons.
    tree = phone.locator("body").aria_snapshot()
    assert re.search(r'- link "[^"]+"', tree)
    assert "(888) 373-7888" in tree and "911" in tree
    assert re.search(r"- heading .*\[level=1\]", tree)
    assert "text: +" not in tree, "a chapter's + sign is not read out"
    quick = phone.locator("#quick-exit")
    box = quick.bounding_box()
    assert box is not None and box["height"] >= 44, "big enough to hit at once"


@pytest.mark.parametrize("how", ["button", "escape"])
def test_quick_exit_leaves_no_way_back(matrix: Path, phone: Page, how: str) -> None:
    phone.route("https://weather.com/**", lambda route: route.fulfill(body="weather"))
    phone.goto("about:blank")
    phone.goto(page_path(matrix, "waterbury", "es").as_uri())
    phone.locator("details").first.click()  # a reader in the middle of a chapter
    if how == "button":
        phone.locator("#quick-exit").click()
    else:
        phone.keyboard.press("Escape")
    phone.wait_for_url(QUICK_EXIT)
    assert "weather" in phone.content()
    phone.go_back()
    assert phone.url == "about:blank", "Back does not bring the page back"


def test_phone_pages_alone_and_incrementally(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    asked = ("--content", content_copy, "--out", out, "--region", "danbury", "--lang", "en", "vi")
    first = run_build(*asked, "--material", "phone")
    assert first.returncode == 0, first.stderr
    pages = sorted(out.rglob("*/index.html"))
    assert [p.relative_to(out).as_posix() for p in pages] == [
        "danbury/en/index.html",
        "danbury/vi/index.html",
    ]
    assert not list(out.rglob("*.pdf")), "--material phone builds no PDF"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pages}
    again = run_build(*asked, "--material", "phone")
    assert again.returncode == 0, again.stderr
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pages} == before, "not rewritten"
    # A fact changes: its pages change, the same way every time.
    edit(content_copy / "resources" / "national.yaml", "233733", "233734")
    changed = run_build(*asked, "--material", "phone")
    assert changed.returncode == 0, changed.stderr
    assert "sms:233734?body=HELP" in pages[0].read_text(encoding="utf-8")
    copy = tmp_path / "copy"
    assert run_build(*asked[:3], copy, *asked[4:], "--material", "phone").returncode == 0
    assert (copy / "danbury/en/index.html").read_bytes() == pages[0].read_bytes()


def test_a_region_s_web_address_is_what_its_card_s_qr_code_opens(
    content_copy: Path, tmp_path: Path
) -> None:
    from tests.layout.test_qr import qr_codes

    region = content_copy / "regions" / "new-milford.yaml"
    edit(
        region,
        "phone_digits: western",
        "phone_digits: western\nweb_address: example.org/help/new-milford",
    )
    out = tmp_path / "out"
    built = run_build("--content", content_copy, "--out", out, "--region", "new-milford",
                      "--lang", "es", "--material", "pocket-card", "phone")  # fmt: skip
    assert built.returncode == 0, built.stderr
    codes = qr_codes(out / "new-milford" / "es" / "pocket-card.pdf", 2)
    assert [code.text for code in codes] == ["https://example.org/help/new-milford/es/"]


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("javascript:alert(1)", "not an https website address"),
        ("http://weather.com", "not an https website address"),
        ("localhost:8000", "not an https website address"),
        ("https://127.0.0.1/", "not a public website"),
    ],
)
def test_a_quick_exit_that_is_not_a_public_website_is_refused(
    content_copy: Path, tmp_path: Path, written: str, said: str
) -> None:
    edit(content_copy / "project.yaml", "source_language: en",
         f"source_language: en\nphone_page:\n  quick_exit: \"{written}\"")  # fmt: skip
    result = run_build("--content", content_copy, "--out", tmp_path / "out",
                       "--region", "danbury", "--lang", "en", "--material", "phone")  # fmt: skip
    assert result.returncode == 1
    assert "project.yaml" in result.stderr and said in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_every_text_message_is_built_and_fits(matrix: Path) -> None:
    from handout.layout.sms import measure

    for region in REGIONS:
        for language in LANGUAGES:
            text = (matrix / region / language / "text-message.txt").read_text(encoding="utf-8")
            assert measure(text).segments <= 2, (region, language, text)
            assert "233733" in text and "911" in text
            assert not text.endswith("\n"), "pasted as it is: no line end to send"
    english = (matrix / "new-milford" / "en" / "text-message.txt").read_text(encoding="utf-8")
    assert measure(english).encoding == "GSM-7"


def test_a_text_message_too_long_fails_the_build_and_writes_nothing(
    content_copy: Path, tmp_path: Path
) -> None:
    region = content_copy / "regions" / "danbury.yaml"
    more = "".join(
        f"    - resource: {record}\n" for record in ("ct-legal-services", "dmhas-access-line")
    )
    edit(region, "      label: Emergency\n\nflyer:", "      label: Emergency\n" + more + "\nflyer:")
    out = tmp_path / "out"
    result = run_build("--content", content_copy, "--out", out, "--region", "danbury",
                       "--lang", "es", "--material", "pocket-card", "text-message")  # fmt: skip
    assert result.returncode == 1, result.stdout
    assert "regions/danbury.yaml" in result.stderr and "segments" in result.stderr
    assert "text_message" in result.stderr, "the fix names the setting"
    assert "Traceback" not in result.stderr
    assert not out.exists(), "nothing written, the pocket card neither"


def test_a_phone_page_title_that_gives_the_reader_away_fails_the_build(
    content_copy: Path, tmp_path: Path
) -> None:
    edit(content_copy / "materials.yaml", "back_title: Contacts", "back_title: Police contacts")
    out = tmp_path / "out"
    result = run_build("--content", content_copy, "--out", out, "--region", "danbury",
                       "--lang", "en", "--material", "phone")  # fmt: skip
    assert result.returncode == 1
    assert "danbury/en/index.html" in result.stderr and "police" in result.stderr.lower()
    assert "back_title" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
