"""Every reading copy passes a PDF/UA-1 checker, not only our own tests: `pdfua` (built on
pikepdf; veraPDF, the reference, is a Java program that comes as neither a Python nor a
Debian package). Its findings are reported by Matterhorn Protocol id, per file. Where the
checker is wrong, the rule stays listed below with the reason, and our own test stands in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pdfua
import pikepdf
import pytest

from tests.build.test_matrix import REGIONS

ACCEPTED: dict[str, str] = {}
"""Rule id -> why its findings are not ours to fix (none today)."""

NOT_EVALUATED: dict[str, str] = {
    "UA-14-001": "pdfua 0.1.3 crashes on a structure element whose /K is an array (valid "
    "PDF: WeasyPrint writes [0]); `test_no_heading_is_empty` checks the rule instead",
}
"""Rule id -> why the checker could not run it on our files."""


def reading_copies(folder: Path) -> list[Path]:
    return sorted(
        pdf
        for pdf in folder.rglob("*.pdf")
        if not pdf.name.endswith("-print.pdf") and "previews" not in pdf.parts
    )


@pytest.mark.parametrize("region", REGIONS)
def test_every_reading_copy_passes_the_pdfua_checker(matrix: Path, region: str) -> None:
    files = reading_copies(matrix / region)
    assert files
    findings, skipped = [], []
    for path in files:
        report = pdfua.validate(str(path))
        name = path.relative_to(matrix)
        findings += [
            f"{name}: {finding.rule_id} ({finding.location}) {finding.message}"
            for finding in report.findings
            if finding.rule_id not in ACCEPTED
        ]
        skipped += [
            f"{name}: {rule.rule_id} not evaluated: {rule.reason}"
            for rule in report.skipped
            if rule.rule_id not in NOT_EVALUATED
        ]
    assert findings == [], "\n".join(findings)
    assert skipped == [], "\n".join(skipped)


def elements(kids: object) -> Iterator[pikepdf.Dictionary]:
    stack = [kids]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and "/S" in item:
            yield item
            if "/K" in item:
                stack.append(item.K)


def marks_content(element: pikepdf.Dictionary) -> bool:
    """Whether the element reaches a marked-content id (text on a page)."""
    stack = [element.get("/K")]
    while stack:
        item = stack.pop()
        if isinstance(item, int):  # pikepdf gives a number as a Python int
            return True
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary):
            if "/MCID" in item:
                return True
            if "/K" in item:
                stack.append(item.K)
    return False


@pytest.mark.parametrize("material", ["pocket-card", "booklet"])
def test_no_heading_is_empty(matrix: Path, material: str) -> None:
    """Matterhorn 14-001, which the checker cannot run (see `NOT_EVALUATED`)."""
    with pikepdf.open(matrix / "danbury" / "en" / f"{material}.pdf") as pdf:
        headings = [
            element
            for element in elements(pdf.Root.StructTreeRoot.K)
            if str(element.S) in {f"/H{level}" for level in range(1, 7)}
        ]
        assert headings
        assert all(marks_content(heading) for heading in headings)


def scopes(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        found = []
        for element in elements(pdf.Root.StructTreeRoot.K):
            if element.S == pikepdf.Name.TH:
                attributes = element.get("/A")
                items = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
                found += [
                    str(item.Scope) for item in items if item is not None and "/Scope" in item
                ]
        return found


def test_table_headers_say_what_they_head(matrix: Path) -> None:
    """A card's row labels head their rows; the booklet's fill-in table ("Numbers I need",
    on a page that pads some booklets to a multiple of 4) heads its columns."""
    card = scopes(matrix / "new-milford" / "en" / "pocket-card.pdf")
    assert card and set(card) == {"/Row"}
    booklets = [scopes(path) for path in sorted(matrix.glob("*/*/booklet.pdf"))]
    assert all("/Row" in booklet for booklet in booklets)
    assert any(booklet.count("/Column") == 2 for booklet in booklets)
