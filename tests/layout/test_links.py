"""Links in the PDFs are absolute `https:` (or `tel:`, `sms:`, `mailto:`) URLs, normalised
with a URL library: never relative (a relative link becomes `file:///…/templates/…`, which
leaks the build path and breaks), never another scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from handout.content.models import Resource, website_url
from tests.conftest import assert_clean_failure, edit, pdfs, run_build
from tests.pdf import links


@pytest.mark.parametrize(
    ("written", "link"),
    [
        ("211ct.org", "https://211ct.org"),
        ("211CT.org/Find", "https://211ct.org/Find"),
        ("https://211ct.org/a://b", "https://211ct.org/a://b"),
        ("211ct.org/a://b", "https://211ct.org/a://b"),
        ("211ct.org/a b", "https://211ct.org/a%20b"),
        ("bücher.example", "https://xn--bcher-kva.example"),
    ],
)
def test_websites_become_absolute_https_links(written: str, link: str) -> None:
    assert website_url(written) == link


@pytest.mark.parametrize(
    "written",
    [
        "http://211ct.org",
        "ftp://211ct.org",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://user:secret@211ct.org",
        "//211ct.org",
        "/templates/x",
        "https://211ct",
        "https://",
    ],
)
def test_other_websites_are_refused(written: str) -> None:
    fields = {"id": "x", "name": "X", "helps_with": "Help.", "scope": "national"}
    fields |= {"source": "x", "checked": "2026-11-01", "website": written}
    with pytest.raises(ValueError, match="website"):
        Resource.model_validate(fields)


@pytest.mark.parametrize(
    "written",
    [
        "127.0.0.1:8000/edit",
        "https://127.0.0.1:8000/edit/history",
        "127.1",
        "0x7f.1/edit",
        "10.0.0.5",
        "192.168.1.1/admin",
        "172.16.0.1",
        "8.8.8.8",
        "printer.local",
        "https://editor.localhost:8000",
        "intranet.corp.internal",
        "router.home.arpa",
    ],
)
def test_loopback_private_and_numeric_websites_are_refused(written: str) -> None:
    """Issue 21, item 18: a website printed on a card must be a public name; an IP address
    (the editor's own `127.0.0.1:…/edit` above all) or a local name is refused in the
    model, so the build, the editor and the import all refuse it."""
    fields = {"id": "x", "name": "X", "helps_with": "Help.", "scope": "national"}
    fields |= {"source": "x", "checked": "2026-11-01", "website": written}
    with pytest.raises(ValueError, match="not a public website"):
        Resource.model_validate(fields)


def test_a_loopback_website_stops_the_build(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "resources" / "connecticut.yaml",
        "website: 211ct.org",
        "website: 127.0.0.1:8000/edit",
    )
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "connecticut.yaml:", "is an IP address, not a public website")


def test_a_path_with_a_scheme_inside_stays_an_absolute_link(
    content_copy: Path, tmp_path: Path
) -> None:
    edit(
        content_copy / "resources" / "connecticut.yaml",
        "website: 211ct.org",
        "website: 211ct.org/a://b",
    )
    out = tmp_path / "out"
    result = run_build(
        "--content", content_copy, "--out", out, "--region", "danbury", "--lang", "en",
        "--material", "booklet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = links(out / "danbury" / "en" / "booklet.pdf")
    assert "https://211ct.org/a://b" in found
    assert all(link.split(":")[0] in ("https", "tel", "sms", "mailto") for link in found), found


def test_a_relative_link_in_a_template_is_refused(templates_copy: Path, tmp_path: Path) -> None:
    edit(templates_copy / "flyer.html", "</main>", '<a href="more.html">more</a></main>')
    result = run_build(
        "--templates", templates_copy, "--out", tmp_path / "out", "--region", "danbury",
        "--lang", "en", "--material", "flyer",
    )  # fmt: skip
    assert_clean_failure(result, "flyer", "more.html", "https:")
    assert pdfs(tmp_path / "out") == []
