"""Issue 21, item 4, without a browser: every answer of `serve` (pages, files of the output
folder, errors, redirects, refusals, a crash) says it may not be framed, must not be
sniffed, and carries the strict Content Security Policy; and every inline script and
stylesheet the pages hold is one the policy allows by its hash, with no inline style or
event attribute (which the policy would block)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handout.build.gallery import Labels, gallery_html
from handout.content.errors import ContentErrors, Problem
from handout.editor.app import Site, make_app
from handout.editor.security import allowed_hosts
from handout.preview.live import STATUS, Preview
from tests.conftest import TEMPLATES
from tests.editor.signing import SigningClient

PORT = 8772
HERE = f"http://127.0.0.1:{PORT}"
PAGES = [
    "/", "/index.html", "/edit/", "/edit/resource/new-milford-police",
    "/edit/new/resource?file=resources/local.yaml", "/edit/layout/new-milford",
    "/edit/rechecks", "/edit/translations/es?state=all", "/edit/history",
    "/edit/resource/new-milford-police/delete",
]  # fmt: skip


@pytest.fixture
def site(content_copy: Path, tmp_path: Path) -> Site:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text(gallery_html(out, [], Labels(title="Test"), []))
    (out / "card.pdf").write_bytes(b"%PDF-1.7 test")
    (out / "page.html").write_text("<script>alert(1)</script>")
    preview = Preview(out, "Test")
    preview.finished(None)
    return Site(preview, content_copy, out, TEMPLATES)


@pytest.fixture
def client(site: Site) -> TestClient:
    return SigningClient(
        make_app(site, allowed_hosts(PORT)), base_url=HERE, follow_redirects=False,
        headers={"origin": HERE}, raise_server_exceptions=False,
    )  # fmt: skip


def assert_guarded(response) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, (response.status_code, dict(headers))
    assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("x-content-type-options") == "nosniff"


def test_every_kind_of_answer_carries_the_headers(client: TestClient, site: Site) -> None:
    token = re.search(r'name="_token" value="([^"]+)"', client.get(PAGES[3]).text)
    assert token
    answers = [
        *(client.get(path) for path in PAGES),
        client.get(STATUS),
        client.get("/card.pdf"),  # a file of the output folder
        client.get("/page.html"),
        client.get("/no-such-file.pdf"),  # 404
        client.get("/edit/resource/no-such-record"),  # 404 of the editor
        client.get("/", headers={"host": "evil.example"}),  # 403 of the Host check
        client.post("/edit/history/0/undo", data={}),  # 403: no token
        client.post("/edit/history/0/undo", headers={"origin": "http://evil.example"}),
        client.post("/edit/history/99/undo", data={"_token": token.group(1)}),  # 303
        client.put("/edit/history"),  # 405
    ]
    statuses = {answer.status_code for answer in answers}
    assert {200, 303, 403, 404, 405} <= statuses
    for answer in answers:
        assert_guarded(answer)

    def crash() -> bytes:
        raise RuntimeError("a bug")

    site.preview.served_page = crash  # type: ignore[method-assign]
    crashed = client.get("/")
    assert crashed.status_code == 500
    assert_guarded(crashed)


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", PAGES)
def test_each_inline_script_and_style_is_allowed_by_its_hash(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in page.headers["content-security-policy"].split(";")
    )
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page.text, re.DOTALL)
    styles = re.findall(r"<style[^>]*>(.*?)</style>", page.text, re.DOTALL)
    assert styles, "every page has its stylesheet"
    for script in scripts:
        assert sha256(script) in policy["script-src"], script[:80]
    for style in styles:
        assert sha256(style) in policy["style-src"], style[:80]
    assert not re.search(r"<[^>]+\sstyle=", page.text), "an inline style attribute"
    assert not re.search(r"<[^>]+\son[a-z]+=", page.text), "an inline event handler"


def test_the_error_page_of_the_preview_is_allowed_too(client: TestClient, site: Site) -> None:
    site.preview.finished(ContentErrors([Problem(Path("x.yaml"), "a mistake", "fix it", 1)]))
    page = client.get("/")
    assert "a mistake" in page.text
    styles = re.findall(r"<style[^>]*>(.*?)</style>", page.text, re.DOTALL)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page.text, re.DOTALL)
    policy = page.headers["content-security-policy"]
    assert styles and scripts
    assert all(sha256(text) in policy for text in styles + scripts)
