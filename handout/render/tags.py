"""What the reading copies' tags need beyond WeasyPrint's: each table header cell says which
cells it heads (PDF/UA-1, Matterhorn checkpoint 15-003: a screen reader then reads "Name:
Ana" instead of guessing by position).

WeasyPrint 70 tags `<th>` as /TH but drops its `scope` attribute. The templates' tables are
simple (a row of column headers, or a header at the start of each row: see
`templates/macros.html`), so the scope follows from the row: a row of header cells only
heads columns; a header among data cells heads its row.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name


def finished_reading_copy(pdf: bytes) -> bytes:
    """The reading copy with its table headers scoped (same bytes for the same input:
    pikepdf writes a deterministic /ID). A PDF without header cells is returned as is."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if not scope_table_headers(document):
            return pdf
        out = io.BytesIO()
        document.save(
            out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve
        )
        return out.getvalue()


def scope_table_headers(document: pikepdf.Pdf) -> int:
    """Give every /TH of the structure tree a /Scope (Column or Row); how many were given
    one (a header that has a scope already keeps it)."""
    tree = document.Root.get("/StructTreeRoot")
    if tree is None:
        return 0
    scoped = 0
    for row in _elements(tree.get("/K"), Name.TR):
        cells = [cell for cell in _children(row) if cell.get("/S") in (Name.TH, Name.TD)]
        scope = Name.Column if all(cell.S == Name.TH for cell in cells) else Name.Row
        for cell in cells:
            if cell.S == Name.TH and not _has_scope(cell):
                _add_attributes(cell, Dictionary(O=Name.Table, Scope=scope))
                scoped += 1
    return scoped


def _children(element: Dictionary) -> list[Dictionary]:
    kids = element.get("/K")
    if kids is None:
        return []
    items = list(kids) if isinstance(kids, Array) else [kids]
    return [kid for kid in items if isinstance(kid, Dictionary) and "/S" in kid]


def _elements(kids: object, kind: Name) -> Iterator[Dictionary]:
    """The structure elements of type `kind` under `kids`, in document order (iteratively:
    a long booklet's tree is deep)."""
    stack = [kids]
    while stack:
        item = stack.pop()
        if isinstance(item, Array):
            stack.extend(reversed(list(item)))
        elif isinstance(item, Dictionary) and "/S" in item:
            if kind == item.S:
                yield item
            elif "/K" in item:
                stack.append(item.K)


def _attribute_dicts(element: Dictionary) -> list[Dictionary]:
    attributes = element.get("/A")
    if attributes is None:
        return []
    items = list(attributes) if isinstance(attributes, Array) else [attributes]
    return [item for item in items if isinstance(item, Dictionary)]


def _has_scope(element: Dictionary) -> bool:
    return any("/Scope" in attributes for attributes in _attribute_dicts(element))


def _add_attributes(element: Dictionary, attributes: Dictionary) -> None:
    existing = element.get("/A")
    if existing is None:
        element.A = attributes
    elif isinstance(existing, Array):
        existing.append(attributes)
    else:
        element.A = Array([existing, attributes])
