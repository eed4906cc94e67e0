"""What readers and coordinators see after importing a real HSDS data set (walk-through
findings): an undated record tells readers plainly to call before they go and never that it
was "Checked" (its `checked` is the import day), a translated booklet with untranslated
imported texts still builds, and the import says the booklet has a page limit."""

from __future__ import annotations

import re
from pathlib import Path

from handout.hsds.mapping import UNDATED_NOTE
from tests.conftest import ROOT, edit, run_build
from tests.pdf import page_texts

REAL_SAMPLE = ROOT / "tests" / "data" / "hsds" / "real" / "sample-simple-1.1"
NOTE = {
    "en": "Call 211 or the service’s number to check before you go.",
    "es": "Llama al 211 o al número del servicio para verificar antes de ir.",
}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_import_says_the_booklet_has_a_page_limit_and_what_to_do(content_copy: Path) -> None:
    result = run_build(
        "import-hsds", REAL_SAMPLE, "--region", "danbury", "--content", content_copy, "--dry-run"
    )
    assert result.returncode == 0, result.stderr
    report = flat(result.stdout)
    for expected in (
        "Each new record makes the danbury booklet longer, and a booklet may have at most 24 "
        "pages (print.booklet_max_pages in project.yaml).",
        "Build it to see: python build.py --region danbury --material booklet.",
        "If it is too long, raise that limit, or import fewer records (--service-area PLACE).",
    ):
        assert expected in report, f"{expected!r} not in:\n{result.stdout}"


def test_undated_imported_records_print_for_readers_and_never_as_checked(
    content_copy: Path, tmp_path: Path
) -> None:
    imported = run_build(
        "import-hsds", REAL_SAMPLE, "--region", "danbury", "--content", content_copy
    )
    assert imported.returncode == 0, imported.stderr
    assert f"unverified_note: {UNDATED_NOTE}" in flat(
        (content_copy / "resources" / "hsds-danbury.yaml").read_text(encoding="utf-8")
    )
    edit(content_copy / "project.yaml", "booklet_max_pages: 24", "booklet_max_pages: 32")
    out = tmp_path / "out"
    built = run_build(
        "--content", content_copy, "--out", out, "--region", "danbury", "--lang", "en", "es",
        "--material", "booklet",
    )  # fmt: skip
    # The Spanish booklet prints the imported texts in English (missing translations,
    # reported as such): that is no "words left in en" failure.
    assert built.returncode == 0, built.stderr
    assert "missing translations (English printed)" in built.stdout
    for language in ("en", "es"):
        text = flat("\n".join(page_texts(out / "danbury" / language / "booklet.pdf")))
        assert text.count(NOTE[language]) >= 5, language
        assert "The directory gives no date" not in text
    english = flat("\n".join(page_texts(out / "danbury" / "en" / "booklet.pdf")))
    # An unconfirmed entry ends with its website: no "Checked <month>" after it.
    entry = re.search(r"Al-Anon Family Group.*?example\.com(.{0,40})", english)
    assert entry and "Checked" not in entry.group(1), entry and entry.group(0)
    assert "example.com · Checked" not in english
    # Shipped records not confirmed (She Leads Justice) print no check month either.
    assert "Source: She Leads Justice." in english
    assert "Source: She Leads Justice. Checked" not in english
