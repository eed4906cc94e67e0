"""What the reading copies' tags need beyond WeasyPrint's: each table header cell says which
cells it heads (PDF/UA-1, Matterhorn checkpoint 15-003: a screen reader then reads "Name:
Ana" instead of guessing by position).

WeasyPrint 70 tags `<th>` as /TH but drops its `scope` attribute. The templates' tables are
simple (a row of column headers, or a header at the start of each row: see
`templates/macros.html`), so the scope follows from the row: a row of header cells only
heads columns; a header among data cells heads its row.

Done while WeasyPrint writes the PDF (its `finisher` hook, with `handout.render.direction`):
the structure elements are still pydyf objects then, and the file is written once.
"""

from __future__ import annotations

import pydyf
import weasyprint

from handout.render.direction import reading_direction


def finish_pdf(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher of every PDF: its reading direction, its table headers' scope."""
    reading_direction(document, pdf)
    scope_table_headers(pdf)


def scope_table_headers(pdf: pydyf.PDF) -> int:
    """Give every /TH of the structure tree a /Scope (Column or Row); how many were given
    one (a header that has a scope already keeps it)."""
    scoped = 0
    for row in pdf.objects:
        if not (isinstance(row, pydyf.Dictionary) and row.get("S") == "/TR"):
            continue
        cells = [
            cell
            for cell in (_referenced(pdf, kid) for kid in row.get("K", ()))
            if isinstance(cell, pydyf.Dictionary) and cell.get("S") in ("/TH", "/TD")
        ]
        scope = "/Column" if all(cell["S"] == "/TH" for cell in cells) else "/Row"
        for cell in cells:
            attributes = cell.get("A")
            if cell["S"] != "/TH" or not isinstance(attributes, pydyf.Dictionary):
                continue
            if "Scope" not in attributes:
                attributes["Scope"] = scope
                scoped += 1
    return scoped


def _referenced(pdf: pydyf.PDF, kid: object) -> object:
    """The object a `b"12 0 R"` reference names (pydyf numbers objects by their place in
    `pdf.objects`); anything else as it is."""
    if isinstance(kid, bytes) and kid.endswith(b" R"):
        number = int(kid.split()[0])
        if 0 <= number < len(pdf.objects):
            return pdf.objects[number]
    return kid
