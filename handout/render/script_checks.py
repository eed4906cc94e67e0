"""Checks for scripts set otherwise than left to right in Latin letters, on every variant.

- Number order, in a right-to-left language (Arabic, Hebrew, Persian, Urdu...): a phone
  number is a left-to-right island in right-to-left text. Unless it is isolated (`<bdi
  dir="ltr">`), the Unicode bidirectional algorithm moves its parts: "(888) 373-7888" in an
  Arabic line comes out as "373-7888 (888)", and a reader dials the wrong number. So each
  number the page prints (every number is a `tel:` or `sms:` link; the link says which) is
  read back from the finished PDF in visual order, left to right along its baseline, and
  must show the digits and brackets of the number as the project formats it
  (`handout.content.phones.display`), on one line.
- Line starts and ends (kinsoku), in Chinese and Japanese: no line starts with a closing
  mark ("，" "。" "）" "」"...) nor ends with an opening one ("（" "「" "『"). The lines are
  WeasyPrint's line boxes, as `render.measure` reads them (`PageMeasure.kinsoku_lines`).

Either costs nothing in the other languages: they are not looked at.

What text extraction cannot tell apart: a bracket drawn mirrored. In right-to-left runs a
"(" is drawn with the ")" glyph, and the PDF's text map (ToUnicode) names each glyph once,
so an extracted bracket says nothing about the shape printed. Brackets are compared as
brackets, in place: "(888)" moved after "373-7888" is caught, a pair of brackets that
would point the wrong way is not (bidi mirroring makes them right in every real case).
"""

from __future__ import annotations

import ctypes
import io
import math
import re
from urllib.parse import unquote, urlsplit

from handout.content import phones
from handout.content.characters import right_to_left
from handout.render.rendered import PageMeasure

NOT_AT_LINE_START = frozenset("，。、）」』：；！？")
"""Closing and pausing marks a Chinese or Japanese line never starts with."""
NOT_AT_LINE_END = frozenset("（「『")
"""Opening marks a Chinese or Japanese line never ends with."""
KINSOKU_LANGUAGES = ("zh", "ja")


def breaks_kinsoku(line: str) -> bool:
    """Whether a line of laid-out text (stripped) starts or ends where CJK must not break."""
    return bool(line) and (line[0] in NOT_AT_LINE_START or line[-1] in NOT_AT_LINE_END)


def script_problems(language: str, pdf: bytes, measures: list[PageMeasure]) -> list[str]:
    """What is wrong in how the script of `language` is set: numbers out of order in a
    right-to-left language, Chinese or Japanese lines that start or end on the wrong mark.
    Nothing is read for other languages."""
    problems: list[str] = []
    if right_to_left(language):
        problems += number_order_problems(pdf)
    if language.lower().split("-")[0].split("_")[0] in KINSOKU_LANGUAGES:
        for number, measure in enumerate(measures, start=1):
            problems += [
                f"page {number}: {problem}" for problem in kinsoku_problems(measure.kinsoku_lines)
            ]
    return problems


def kinsoku_problems(lines: list[str]) -> list[str]:
    """Each line (of laid-out text) that starts with a closing mark or ends with an opening
    one, in plain words."""
    problems = []
    for line in (line.strip() for line in lines):
        if not breaks_kinsoku(line):
            continue
        where = (
            f"starts with {line[0]!r}"
            if line[0] in NOT_AT_LINE_START
            else f"ends with {line[-1]!r}"
        )
        problems.append(
            f"a line {where} ({line[:20]!r}), where Chinese and Japanese never break a line; "
            "keep the mark with the text before it (no line break or new block just before "
            "it, in the template or the translation; see docs/scripts.md)"
        )
    return problems


NUMBER_SHAPE = re.compile(r"[^0-9+()]")


def _shape(text: str) -> str:
    """The digits, plus signs and brackets of `text`, in order; every bracket as "(" (a
    mirrored bracket cannot be told from the PDF's text, see the module's docstring)."""
    return NUMBER_SHAPE.sub("", text).replace(")", "(")


def number_order_problems(pdf: bytes) -> list[str]:
    """Each phone number (a `tel:` or `sms:` link) whose digits or brackets do not read,
    left to right along its line, as the number is written, or which runs over two lines."""
    links = _number_links(pdf)
    if not links:
        return []
    import pypdfium2

    problems = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in sorted({page for page, _number, _rect in links}):
            textpage = document[index].get_textpage()
            chars = _chars(textpage)
            for page, number, rect in links:
                if page != index:
                    continue
                lines = _visual_lines(textpage, [c for c, box in chars if _inside(box, rect)])
                expected = phones.display(number)
                seen = " / ".join(lines)
                if not any(char.isdigit() for char in seen):
                    continue  # a link around words ("call us"), not around the number
                if len(lines) == 1 and _shape(seen) == _shape(expected):
                    continue
                shown, whole = _shape(seen), _shape(expected)
                broken = len(lines) > 1 or (shown != whole and shown in whole)
                how = "runs over two lines" if broken else "is printed out of order"
                problems.append(
                    f"page {index + 1}: the number {expected} {how}: it reads {seen!r} from "
                    'left to right; isolate it as left to right (<bdi dir="ltr"> around it in '
                    "the template) and keep it on one line (see docs/scripts.md)"
                )
    finally:
        document.close()
    return problems


def _number_links(pdf: bytes) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """(page index, number, rectangle) of every `tel:`/`sms:` link annotation."""
    import pikepdf

    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for index, page in enumerate(document.pages):
            for annotation in page.obj.get("/Annots", ()):
                action = annotation.get("/A")
                uri = str(action.get("/URI", "")) if action is not None else ""
                scheme, _, rest = uri.partition(":")
                if scheme not in ("tel", "sms") or not rest:
                    continue
                number = unquote(urlsplit(uri).path)
                if phones.number_problem(number):
                    continue
                x1, y1, x2, y2 = (float(value) for value in annotation.Rect)
                found.append((index, number, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))))
    return found


Box = tuple[float, float, float, float]


def _chars(textpage: object) -> list[tuple[int, Box]]:
    """(index, loose box) of each character pdfium found on the page (none it made up)."""
    import pypdfium2.raw as pdfium

    rect = pdfium.FS_RECTF()
    found = []
    for index in range(pdfium.FPDFText_CountChars(textpage)):
        if pdfium.FPDFText_IsGenerated(textpage, index) == 1:
            continue
        if pdfium.FPDFText_GetLooseCharBox(textpage, index, rect):
            found.append((index, (rect.left, rect.bottom, rect.right, rect.top)))
    return found


def _inside(box: Box, rect: Box, tolerance: float = 0.5) -> bool:
    x = (box[0] + box[2]) / 2
    y = (box[1] + box[3]) / 2
    return (
        rect[0] - tolerance <= x <= rect[2] + tolerance
        and rect[1] - tolerance <= y <= rect[3] + tolerance
    )


def _visual_lines(textpage: object, indices: list[int]) -> list[str]:
    """The characters at `indices`, as seen: grouped into lines (by baseline), each read
    from its start to its end along the baseline, whatever the text's rotation (the
    flyer's tabs are turned)."""
    import pypdfium2.raw as pdfium

    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium.FS_MATRIX()
    placed = []
    for index in indices:
        character = chr(pdfium.FPDFText_GetUnicode(textpage, index))
        pdfium.FPDFText_GetCharOrigin(textpage, index, x, y)
        pdfium.FPDFText_GetMatrix(textpage, index, matrix)
        length = math.hypot(matrix.a, matrix.b) or 1.0
        dx, dy = matrix.a / length, matrix.b / length  # the baseline's direction
        along = x.value * dx + y.value * dy
        across = y.value * dx - x.value * dy
        placed.append((across, along, character))
    lines: list[list[tuple[float, float, str]]] = []
    for char in sorted(placed, key=lambda c: -c[0]):
        if lines and abs(lines[-1][0][0] - char[0]) < 2.0:
            lines[-1].append(char)
        else:
            lines.append([char])
    read = ("".join(c for _a, _b, c in sorted(line, key=lambda c: c[1])) for line in lines)
    return [" ".join(text.split()) for text in read if text.strip()]
