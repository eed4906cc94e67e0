"""`python build.py verify-sheet`: a printable call sheet (PDF and CSV) of the facts due for
re-checking, oldest first."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from handout.cli import arguments
from handout.content.errors import counted, display_path
from handout.content.files import write_all
from handout.content.load import load
from handout.content.read import Content
from handout.content.recheck import Due, due_facts, sheet_csv
from handout.layout.materials import Material
from handout.render.renderer import Renderer


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py verify-sheet",
        description="Write a printable call sheet (PDF and CSV) of the facts due for "
        "re-checking, oldest first: stale or nearly stale, and never confirmed.",
        epilog="examples:\n"
        "  python build.py verify-sheet        facts due: output/verify-sheet.pdf and .csv\n"
        "  python build.py verify-sheet --all  every fact, due or not",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    arguments.folders(command, root)
    arguments.out(command, root, "where verify-sheet.pdf and verify-sheet.csv go")
    command.add_argument(
        "--all", action="store_true", help="list every fact, due or not (default: only those due)"
    )
    return command


def run(options: argparse.Namespace) -> int:
    content = load(options.content)
    today = datetime.date.today()
    due = due_facts(content, today, everything=options.all)
    for path in write_sheet(content, options.templates, options.out, due, today):
        print(f"  wrote {display_path(path)}")
    print(f"{counted(len(due), 'fact')} to re-check.")
    return 0


def write_sheet(
    content: Content, templates: Path, out: Path, due: list[Due], today: datetime.date
) -> list[Path]:
    """Write verify-sheet.pdf and verify-sheet.csv into `out`."""

    sheet = Material("verify-sheet", 11.0, 8.5)
    context = {
        "due": due,
        "rows": [sheet_row(fact) for fact in due],
        "today": today.isoformat(),
        "limit": content.project.checked_max_age_months,
    }
    rendered = Renderer(templates).render(sheet, context, "verify-sheet")
    pdf, table = out / "verify-sheet.pdf", out / "verify-sheet.csv"
    write_all([(pdf, rendered.pdf), (table, sheet_csv(due))], nothing="neither file was changed")
    return [pdf, table]


SOURCE_CHARS = 240
"""The most of a fact's `source` the printed sheet shows (about five lines of its column,
so that about 8 facts fit a page); the CSV keeps every word."""


def sheet_row(fact: Due) -> dict:
    """One fact as the printed sheet shows it: its reason as a sentence, and a long source
    note cut at a word."""
    source = " ".join(fact.source.split())
    cut = len(source) > SOURCE_CHARS
    if cut:
        source = source[:SOURCE_CHARS].rsplit(" ", 1)[0].rstrip(",;:.") + " …"
    reason = fact.reason[:1].upper() + fact.reason[1:]
    return {"due": fact, "reason": reason, "source": source, "cut": cut}
