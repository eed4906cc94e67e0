"""A right-to-left document says so in its PDF: `/ViewerPreferences << /Direction /R2L >>`.

Viewers then show two-page spreads with page 1 on the right-hand side of the binding, as
an Arabic or Hebrew booklet is held, and the imposition (`handout.render.impose`) reads the
same entry to bind the print copy on the right. The language is the document's own (the
`lang` of the template's root element); which languages are written right to left comes
from CLDR (`handout.content.characters.right_to_left`).

The entry is added while WeasyPrint writes the PDF (its `finisher` hook), not by opening
and saving the file again: no second pass, and the bytes stay exactly what WeasyPrint writes
for a left-to-right document, which this leaves untouched.
"""

from __future__ import annotations

import pydyf
import weasyprint

from handout.content.characters import right_to_left


def reading_direction(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: mark the PDF of a right-to-left document as read right to left
    (PDF 32000-1, 12.2, ViewerPreferences `Direction`); a left-to-right one is left as is."""
    language = document.metadata.lang or ""
    if not right_to_left(language):
        return
    preferences = pdf.catalog.get("ViewerPreferences")
    if preferences is None:
        preferences = pdf.catalog["ViewerPreferences"] = pydyf.Dictionary()
    preferences["Direction"] = "/R2L"
