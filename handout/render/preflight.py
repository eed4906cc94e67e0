"""Preflight of a press PDF, as a print shop's software reads it: the PDF/X version and
output intent, the page boxes, the fonts and whether each is embedded, any RGB or spot
colour, the thinnest rule, and each QR code's module size and quiet zone. Read from the
finished file with pikepdf (a small walk over its content streams keeping the transform
matrix), never from what the templates meant to draw.

A file breaks a print-shop rule when it has an RGB or spot colour (other than the crop
marks' registration colour), a rule under 0.25 pt, a QR module under 0.4 mm or a quiet zone
under 4 modules: the build then fails, naming the file and the rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

MIN_RULE_PT = 0.25
MIN_QR_MODULE_MM = 0.4
MIN_QUIET_ZONE = 4
QR_MIN_SEGMENTS = 20
"""A stroked path of this many horizontal runs of one width is a QR code's modules (segno
draws each row's dark modules as runs of a line one module wide)."""
MM_PER_PT = 25.4 / 72
STROKES = frozenset({"S", "s", "B", "B*", "b", "b*"})
RGB_OPERATORS = frozenset({"rg", "RG", "g", "G"})
ALLOWED_SPACES = frozenset({"/DeviceCMYK", "/device-cmyk", "/ICCBased"})


@dataclass
class QrReading:
    module_mm: float
    quiet_zone_modules: float


@dataclass
class Preflight:
    """What a preflight reads off one press PDF, and the rules it breaks."""

    pdfx: str = ""
    output_intent: str = ""
    boxes: dict[str, list[float]] = field(default_factory=dict)
    fonts: list[tuple[str, bool]] = field(default_factory=list)
    """Each font's name and whether it is embedded."""
    rgb: int = 0
    """Colour operators or colour spaces in RGB (or grey, which a CMYK file must not use)."""
    spot: set[str] = field(default_factory=set)
    thinnest_rule_pt: float | None = None
    qr_codes: list[QrReading] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        found = []
        if self.rgb:
            found.append(f"{self.rgb} objects in RGB in a CMYK file")
        if self.spot:
            found.append(f"spot colours {', '.join(sorted(self.spot))}")
        if self.thinnest_rule_pt is not None and self.thinnest_rule_pt < MIN_RULE_PT - 0.001:
            found.append(f"a rule of {self.thinnest_rule_pt:.2f} pt (under {MIN_RULE_PT} pt)")
        for qr in self.qr_codes:
            if qr.module_mm < MIN_QR_MODULE_MM - 0.001:
                found.append(f"a QR module of {qr.module_mm:.2f} mm (under {MIN_QR_MODULE_MM} mm)")
            if qr.quiet_zone_modules < MIN_QUIET_ZONE - 0.01:
                zone = f"{qr.quiet_zone_modules:.1f}"
                found.append(f"a QR quiet zone of {zone} modules (under {MIN_QUIET_ZONE})")
        found += [
            f"the font {name} is not embedded" for name, embedded in self.fonts if not embedded
        ]
        return found

    def report(self, name: str) -> str:
        """The preflight in a few lines, for the print shop and whoever sends the file."""
        lines = [
            f"{name}",
            f"  PDF/X: {self.pdfx or 'none'}; output intent: {self.output_intent or 'none'}",
        ]
        lines += [
            f"  {box}: {' '.join(f'{v:g}' for v in values)} pt"
            for box, values in self.boxes.items()
        ]
        fonts = ", ".join(f"{n}{'' if e else ' (NOT embedded)'}" for n, e in self.fonts)
        lines.append(f"  fonts: {fonts or 'none'}")
        lines.append(
            f"  RGB objects: {self.rgb}; spot colours: {', '.join(sorted(self.spot)) or 'none'}"
        )
        thinnest = "none" if self.thinnest_rule_pt is None else f"{self.thinnest_rule_pt:.2f} pt"
        lines.append(f"  thinnest rule: {thinnest}")
        for number, qr in enumerate(self.qr_codes, start=1):
            lines.append(
                f"  QR code {number}: module {qr.module_mm:.2f} mm, quiet zone "
                f"{qr.quiet_zone_modules:.1f} modules"
            )
        problems = self.problems
        lines.append("  result: " + ("FAILS: " + "; ".join(problems) if problems else "passes"))
        return "\n".join(lines) + "\n"


def preflight(pdf: bytes) -> Preflight:
    """Read a press PDF the way a print shop's preflight does."""
    import io

    reading = Preflight()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            reading.pdfx = str(xmp.get("pdfxid:GTS_PDFXVersion") or "")
        reading.pdfx = reading.pdfx or str(document.docinfo.get("/GTS_PDFXVersion", ""))
        intents = document.Root.get("/OutputIntents") or []
        if intents:
            intent = intents[0]
            reading.output_intent = str(
                intent.get("/OutputConditionIdentifier") or intent.get("/Info") or "present"
            )
        page = document.pages[0].obj
        for box in ("/MediaBox", "/BleedBox", "/TrimBox"):
            if box in page:
                reading.boxes[box.strip("/")] = [float(v) for v in page[box]]
        seen_fonts: dict[str, bool] = {}
        for page in document.pages:
            _walk(
                page.obj, page.obj.get("/Resources"), Matrix.identity(), reading, seen_fonts, True
            )
        reading.fonts = sorted(seen_fonts.items())
    return reading


@dataclass(frozen=True)
class Matrix:
    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    @classmethod
    def identity(cls) -> Matrix:
        return cls(1, 0, 0, 1, 0, 0)

    def then(self, other: Matrix) -> Matrix:
        """This transform followed by `other` (PDF's `cm`: new = m × current)."""
        return Matrix(
            self.a * other.a + self.b * other.c,
            self.a * other.b + self.b * other.d,
            self.c * other.a + self.d * other.c,
            self.c * other.b + self.d * other.d,
            self.e * other.a + self.f * other.c + other.e,
            self.e * other.b + self.f * other.d + other.f,
        )

    @property
    def scale(self) -> float:
        return math.sqrt(abs(self.a * self.d - self.b * self.c))

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f


def _walk(
    obj: pikepdf.Object,
    resources: pikepdf.Object | None,
    ctm: Matrix,
    reading: Preflight,
    fonts: dict[str, bool],
    is_page: bool,
) -> None:
    """Interpret one content stream: transforms, line widths, strokes, colours, fonts, and
    the forms it draws (with their own matrix)."""
    resources = resources or pikepdf.Dictionary()
    _fonts(resources, fonts)
    _colour_spaces(resources, reading)
    stack: list[tuple[Matrix, float]] = []
    width = 1.0
    path: list[tuple[str, list[float]]] = []
    clip: tuple[float, float, float, float] | None = None
    clips: list[tuple[float, float, float, float] | None] = []
    target = pikepdf.Page(obj) if is_page else obj
    for operands, operator in pikepdf.parse_content_stream(target):
        name = str(operator)
        values = [float(v) for v in operands if _is_number(v)]
        if name == "q":
            stack.append((ctm, width))
            clips.append(clip)
        elif name == "Q" and stack:
            ctm, width = stack.pop()
            clip = clips.pop()
        elif name == "cm" and len(values) == 6:
            ctm = Matrix(*values).then(ctm)
        elif name == "w" and values:
            width = values[0]
        elif name in ("m", "l", "re", "c", "v", "y", "h"):
            path.append((name, values))
        elif name in ("W", "W*"):
            clip = _bounds(path, ctm) or clip
        elif name in STROKES:
            _stroked(path, width, ctm, clip, reading)
            path = []
        elif name in ("f", "F", "f*", "n"):
            path = []
        elif name in RGB_OPERATORS:
            reading.rgb += 1
        elif name in ("cs", "CS") and operands:
            _space(str(operands[0]), resources, reading)
        elif name == "Do" and operands:
            xobject = (resources.get("/XObject") or {}).get(str(operands[0]))
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                matrix = Matrix(*[float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])])
                _walk(xobject, xobject.get("/Resources"), matrix.then(ctm), reading, fonts, False)


def _is_number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _stroked(
    path: list[tuple[str, list[float]]],
    width: float,
    ctm: Matrix,
    clip: tuple[float, float, float, float] | None,
    reading: Preflight,
) -> None:
    """A stroke: its width counts as a rule, unless it is a QR code's modules (many
    horizontal runs of one width), which are read as a QR code."""
    effective = width * ctm.scale
    runs = _horizontal_runs(path)
    if len(runs) >= QR_MIN_SEGMENTS and clip is not None:
        module = effective
        ends = [ctm.point(x, y) for x0, x1, y in runs for x in (x0, x1)]
        if module > 0:
            xs, ys = [x for x, _y in ends], [y for _x, y in ends]
            # the runs' centre lines are half a module inside the dark modules' edges
            left, right = min(xs), max(xs)
            bottom, top = min(ys) - module / 2, max(ys) + module / 2
            quiet = min(left - clip[0], bottom - clip[1], clip[2] - right, clip[3] - top)
            reading.qr_codes.append(QrReading(module * MM_PER_PT, quiet / module))
        return
    box = _bounds(path, ctm)
    trim = reading.boxes.get("TrimBox")
    if box is not None and trim is not None and _outside(box, trim):
        return  # a crop mark: outside the trim, not part of the design
    if reading.thinnest_rule_pt is None or effective < reading.thinnest_rule_pt:
        reading.thinnest_rule_pt = effective


def _outside(box: tuple[float, float, float, float], trim: list[float]) -> bool:
    left, bottom, right, top = box
    return right < trim[0] or left > trim[2] or top < trim[1] or bottom > trim[3]


def _horizontal_runs(path: list[tuple[str, list[float]]]) -> list[tuple[float, float, float]]:
    runs = []
    previous = None
    for name, values in path:
        if name == "m" and len(values) == 2:
            previous = values
        elif name == "l" and len(values) == 2 and previous is not None:
            if abs(values[1] - previous[1]) < 1e-6:
                runs.append((previous[0], values[0], values[1]))
            previous = values
        else:
            previous = None
    return runs


def _bounds(
    path: list[tuple[str, list[float]]], ctm: Matrix
) -> tuple[float, float, float, float] | None:
    points: list[tuple[float, float]] = []
    for name, values in path:
        if name == "re" and len(values) == 4:
            x, y, w, h = values
            points += [ctm.point(x, y), ctm.point(x + w, y + h)]
        else:
            points += [ctm.point(values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _fonts(resources: pikepdf.Object, fonts: dict[str, bool]) -> None:
    for font in (resources.get("/Font") or {}).values():
        name = str(font.get("/BaseFont", "?")).lstrip("/")
        descriptors: Iterator[pikepdf.Object] = (
            (descendant.get("/FontDescriptor") for descendant in font.get("/DescendantFonts"))
            if "/DescendantFonts" in font
            else iter([font.get("/FontDescriptor")])
        )
        embedded = any(
            descriptor is not None
            and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            for descriptor in descriptors
        )
        fonts[name] = fonts.get(name, False) or embedded


def _colour_spaces(resources: pikepdf.Object, reading: Preflight) -> None:
    for space in (resources.get("/ColorSpace") or {}).values():
        separation = isinstance(space, pikepdf.Array) and str(space[0]) == "/Separation"
        if separation and str(space[1]) != "/All":
            reading.spot.add(str(space[1]).lstrip("/"))


def _space(name: str, resources: pikepdf.Object, reading: Preflight) -> None:
    """A colour space set with `cs`/`CS`: RGB or grey is not allowed in a CMYK file."""
    if name in ("/DeviceRGB", "/DeviceGray", "/CalRGB", "/CalGray"):
        reading.rgb += 1
        return
    space = (resources.get("/ColorSpace") or {}).get(name)
    icc = isinstance(space, pikepdf.Array) and str(space[0]) == "/ICCBased"
    if icc and int(space[1].get("/N", 4)) != 4:
        reading.rgb += 1
