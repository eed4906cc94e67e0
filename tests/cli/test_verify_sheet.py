"""verify-sheet.csv is opened in a spreadsheet: no cell may be read as a formula there
(CSV injection, OWASP), whatever a record's name or source says, e.g. after an import."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from handout.content.recheck import Due, sheet_csv
from tests.conftest import edit, run_build

SOFFICE = shutil.which("soffice")
PAYLOADS = ["=1+41", "+1+41", "-1+43", "@SUM(1+41)", "\t=1+41", "\r=1+41", "=HYPERLINK(1)"]
INSIDE = ["a\r=1+41", "a\n=1+41", "a\r\n+1+41"]  # a line break inside a cell


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def sheet(*texts: str) -> bytes:
    due = [Due("x", text, "", text, datetime.date(2026, 1, 1), "never confirmed") for text in texts]
    return sheet_csv(due)


def test_a_line_break_stays_inside_its_cell() -> None:
    assert [row["fact"] for row in rows_of(sheet(*INSIDE))] == INSIDE


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cells_that_would_be_formulas_start_with_a_quote(payload: str) -> None:
    rows = rows_of(sheet(payload))
    assert rows[0]["fact"] == "'" + payload
    assert rows[0]["source"] == "'" + payload


def test_ordinary_cells_are_left_as_they_are() -> None:
    rows = rows_of(sheet("CT Safe Connect (24/7)"))
    assert rows[0]["fact"] == "CT Safe Connect (24/7)"
    assert rows[0]["last checked"] == "2026-01-01"


def test_an_imported_name_cannot_inject_a_formula(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "resources" / "local.yaml",
        "    source: newmilford.org\n",
        '    source: \'=HYPERLINK("https://example.com","call")\'\n',
    )
    result = run_build("verify-sheet", "--all", "--content", content_copy, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    with (tmp_path / "verify-sheet.csv").open(encoding="utf-8", newline="") as stream:
        sources = [row["source"] for row in csv.DictReader(stream)]
    assert '\'=HYPERLINK("https://example.com","call")' in sources
    assert not any(source.startswith(("=", "+", "-", "@")) for source in sources)


def as_spreadsheet(path: Path, out: Path) -> str:
    """The sheet as LibreOffice Calc reads it, saved back as HTML (formulas evaluated)."""
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "html", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(out), "PATH": "/usr/bin:/bin"},
    )
    return (out / (path.stem + ".html")).read_text(encoding="utf-8", errors="replace")


@pytest.mark.skipif(
    SOFFICE is None, reason="needs LibreOffice (apt-get install libreoffice-calc-nogui)"
)
def test_libreoffice_reads_no_formula(tmp_path: Path) -> None:
    raw = tmp_path / "raw.csv"
    raw.write_text("fact\n=1+41\n", encoding="utf-8")
    assert ">42<" in as_spreadsheet(raw, tmp_path / "raw")  # it does evaluate formulas
    ours = tmp_path / "ours.csv"
    ours.write_bytes(sheet(*PAYLOADS, *INSIDE))
    page = as_spreadsheet(ours, tmp_path / "ours")
    assert ">42<" not in page and "=1+41" in page


def test_the_printed_sheet_fits_about_8_facts_a_page(tmp_path: Path) -> None:
    """A working document carried to the phone: every fact of the shipped content (--all)
    on a few landscape pages, each fact once with its numbers and why it is due; the
    longest source note is cut on paper and whole in the CSV."""
    from handout.cli.verify_sheet import SOURCE_CHARS, write_sheet
    from handout.content.load import load
    from handout.content.recheck import due_facts
    from tests.conftest import CONTENT, TEMPLATES
    from tests.pdf import page_sizes_in, page_texts

    content = load(CONTENT)
    today = datetime.date(2026, 12, 7)
    due = due_facts(content, today, everything=True)
    pdf, table = write_sheet(content, TEMPLATES, tmp_path, due, today)
    pages = page_texts(pdf)
    assert len(due) / len(pages) >= 7, f"{len(due)} facts on {len(pages)} pages"
    assert set(page_sizes_in(pdf)) == {(11.0, 8.5)}
    text = " ".join(" ".join(pages).split())
    for fact in due:
        assert fact.id in text.replace("- ", "-"), f"{fact.id} is not on the sheet"
    longest = max(due, key=lambda fact: len(fact.source))
    assert len(longest.source) > SOURCE_CHARS
    assert "the rest is in verify-sheet.csv" in text
    # Every fact says where to check it: a number, a website, or what to do without one.
    assert "ct-prostitution · last checked" in text and "look up: cga.ct.gov" in text
    assert "no number or website on record: dial 211 or search its name" in text
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert {row["id"]: row["websites"] for row in rows}["ct-prostitution"] == "cga.ct.gov"
    assert longest.source in [row["source"] for row in rows_of(table.read_bytes())]
