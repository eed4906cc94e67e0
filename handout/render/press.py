"""Press copies as print shops take them: every colour in CMYK, crop marks outside the
bleed in registration colour, and the media box grown to hold them.

WeasyPrint writes the press copy (PDF/X-4, its CMYK output intent, 0.125 in of bleed); its
colours are the stylesheets' RGB ones, and its own crop marks fall inside the bleed. This
module finishes the file with pikepdf: each `rg`/`RG` of every content stream (pages and
the forms they draw) becomes `k`/`K`, greys as black ink only, and marks are drawn 3 pt
outside the bleed box, 0.25 pt wide, in the separation "All" (registration: every plate).
The trim and bleed boxes stay as WeasyPrint set them.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import os
import uuid
from collections.abc import Iterator

import pikepdf
import weasyprint

MARK_OFFSET_PT = 3.0
"""How far outside the bleed box the crop marks start."""
MARK_LENGTH_PT = 18.0
MARK_WIDTH_PT = 0.25
REGISTRATION = "/RegistrationAll"
"""The page resource name of the registration colour space (separation "All")."""


def finished_press_copy(pdf: bytes) -> bytes:
    """The press PDF in CMYK with crop marks outside its bleed (same bytes for the same
    input: pikepdf writes a deterministic /ID)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        converted: set[tuple[int, int]] = set()
        registration = _registration_colour_space(document)
        for page in document.pages:
            _to_cmyk(page.obj, document, converted, is_page=True)
            _add_crop_marks(page, document, registration)
        out = io.BytesIO()
        document.save(
            out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve
        )
        return out.getvalue()


def rgb_to_cmyk(red: float, green: float, blue: float) -> tuple[float, float, float, float]:
    """The naive conversion: black ink for what is grey, colour inks for the rest. Good
    enough for flat colours (the output intent's profile does the rest at the press)."""
    black = 1 - max(red, green, blue)
    if black >= 1:
        return 0.0, 0.0, 0.0, 1.0
    return (
        round((1 - red - black) / (1 - black), 4),
        round((1 - green - black) / (1 - black), 4),
        round((1 - blue - black) / (1 - black), 4),
        round(black, 4),
    )


COLOUR_OPERATORS = {"rg": "k", "RG": "K"}


def _to_cmyk(
    obj: pikepdf.Object, document: pikepdf.Pdf, done: set[tuple[int, int]], is_page: bool
) -> None:
    """Rewrite the colour operators of a page's or form's content, then of the forms it
    draws (each form once)."""
    if obj.is_indirect:
        if obj.objgen in done:
            return
        done.add(obj.objgen)
    instructions = []
    changed = False
    target = pikepdf.Page(obj) if is_page else obj
    for operands, operator in pikepdf.parse_content_stream(target):
        name = str(operator)
        if name in COLOUR_OPERATORS and len(operands) == 3:
            cmyk = rgb_to_cmyk(*(float(value) for value in operands))
            instructions.append(
                pikepdf.ContentStreamInstruction(cmyk, pikepdf.Operator(COLOUR_OPERATORS[name]))
            )
            changed = True
        else:
            instructions.append(pikepdf.ContentStreamInstruction(operands, operator))
    if changed:
        data = pikepdf.unparse_content_stream(instructions)
        if is_page:
            obj.Contents = document.make_stream(data)
        else:
            obj.write(data)
    resources = obj.get("/Resources") or {}
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            _to_cmyk(xobject, document, done, is_page=False)


def _registration_colour_space(document: pikepdf.Pdf) -> pikepdf.Object:
    """[/Separation /All /DeviceCMYK tint]: 100% of the tint prints on every plate."""
    tint = document.make_indirect(
        pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    )
    return document.make_indirect(
        pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, tint])
    )


def _add_crop_marks(
    page: pikepdf.Page, document: pikepdf.Pdf, registration: pikepdf.Object
) -> None:
    """Marks at the four corners of the trim box, outside the bleed box, and a media box
    large enough to hold them."""
    trim = [float(value) for value in page.obj.TrimBox]
    bleed = [float(value) for value in page.obj.BleedBox]
    start = MARK_OFFSET_PT
    reach = MARK_OFFSET_PT + MARK_LENGTH_PT
    left, bottom, right, top = trim
    lines = []
    for x, outward_x, edge_x in ((left, -1, bleed[0]), (right, 1, bleed[2])):
        for y, outward_y, edge_y in ((bottom, -1, bleed[1]), (top, 1, bleed[3])):
            # a horizontal mark on the trim's y, outside the bleed; a vertical one on its x
            lines.append((edge_x + outward_x * start, y, edge_x + outward_x * reach, y))
            lines.append((x, edge_y + outward_y * start, x, edge_y + outward_y * reach))
    drawing = [f"q {REGISTRATION} CS 1 SCN {MARK_WIDTH_PT} w 0 J"]
    drawing += [f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S" for x0, y0, x1, y1 in lines]
    drawing.append("Q")
    page.contents_add(document.make_stream("\n".join(drawing).encode()), prepend=False)
    resources = page.obj.Resources
    if "/ColorSpace" not in resources:
        resources.ColorSpace = pikepdf.Dictionary()
    resources.ColorSpace[REGISTRATION] = registration
    page.obj.MediaBox = pikepdf.Array(
        [bleed[0] - reach, bleed[1] - reach, bleed[2] + reach, bleed[3] + reach]
    )


def pin_dates(document: weasyprint.Document) -> None:
    """PDF/X requires a creation and modification date, which WeasyPrint takes from the
    clock; take them from SOURCE_DATE_EPOCH instead (the build pins it to the newest check
    date), so that the same content always gives the same press PDF."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return
    moment = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    document.metadata.created = document.metadata.created or stamp
    document.metadata.modified = document.metadata.modified or stamp


@contextlib.contextmanager
def stable_document_id(seed: bytes) -> Iterator[None]:
    """WeasyPrint gives a PDF/X-4 an XMP DocumentID from `uuid4()`, at random, and the
    file's /ID is a hash of the whole file: a press PDF came out different at every build.
    While it is written, the DocumentID is derived from `seed` (the document's text)."""
    from weasyprint.pdf import metadata

    drawn = uuid.UUID(bytes=hashlib.sha256(seed).digest()[:16], version=4)
    original = metadata.uuid4
    metadata.uuid4 = lambda: drawn
    try:
        yield
    finally:
        metadata.uuid4 = original
