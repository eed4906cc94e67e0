"""HTML from Jinja2 templates, PDF from WeasyPrint, with nothing fetched from outside.

WeasyPrint is imported here and nowhere else, so commands that render nothing stay fast.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from weasyprint.formatting_structure.boxes import Box, LineBox, MarginBox, TextBox
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetchingError

from handout.content.errors import BuildError
from handout.layout import fonts
from handout.layout.contrast import ratio
from handout.layout.html import Templates
from handout.layout.materials import Material
from handout.render.checks import overflowing_part
from handout.render.rendered import PageMeasure, Rendered


class RefusedURL(FatalURLFetchingError):
    """A template or content asked for a file outside the project, or for the network."""


class ProjectOnlyFetcher(URLFetcher):
    """Serve `file:` URLs inside the allowed folders and `data:` URLs; refuse all else.

    This keeps rendering hermetic: no network, no reads outside the templates and the
    packaged fonts, whatever a template or a piece of content asks for.
    """

    def __init__(self, allowed: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.allowed = tuple(folder.resolve() for folder in allowed)

    def fetch(self, url: str, headers: dict | None = None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.allowed):
                return super().fetch(url, headers)
        raise RefusedURL(f"refused to load {url}: only files in the templates folder may be used")


PRESS_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
"""The CMYK output intent of press PDFs (PDF/X-4), from Debian's libgs-common. It is read
only for --press builds, and is the one file outside the project they may read."""
BLEED = "0.125in"


class Renderer:
    """Turns a material's context into a PDF. One instance renders many documents.

    With `press`, documents get a 0.125 in bleed (page backgrounds run into it), crop marks,
    TrimBox and BleedBox, and are written as PDF/X-4 with a CMYK output intent, for a print
    shop. Otherwise they are tagged PDF/UA-1 reading copies.
    """

    def __init__(self, templates: Path, press: bool = False) -> None:
        self.templates = Templates(templates)
        self.press = press
        allowed = (templates, *fonts.FONT_FOLDERS)
        if press:
            if not PRESS_PROFILE.is_file():
                raise BuildError(
                    f"--press needs a CMYK colour profile ({PRESS_PROFILE}); "
                    "install it with `apt-get install libgs-common`"
                )
            allowed += (PRESS_PROFILE.parent,)
        self.fetcher = ProjectOnlyFetcher(allowed)
        self.font_config = FontConfiguration()
        self.stylesheets: dict[str, weasyprint.CSS] = {}
        self.font_faces = self._parse(fonts.font_face_css(), "fonts")
        self.extra_head = (
            f"<style>@page {{ bleed: {BLEED}; marks: crop; }} "
            f'@color-profile device-cmyk {{ src: url("{PRESS_PROFILE.as_uri()}"); '
            "components: cyan magenta yellow black; }</style>"
            if press
            else ""
        )

    def html(self, material: Material, context: dict) -> str:
        if self.extra_head and "extra_head" not in context:
            context = {**context, "extra_head": self.extra_head}
        return self.templates.html(material, context)

    def layout(self, html: str, title: str) -> weasyprint.Document:
        """Lay the HTML out into pages (no PDF yet); WeasyPrint warnings are errors."""
        with _warnings_captured() as warnings:
            try:
                html, linked = self._linked_stylesheets(html)
                document = weasyprint.HTML(
                    string=html, base_url=self._base_url, url_fetcher=self.fetcher
                ).render(stylesheets=[self.font_faces, *linked], font_config=self.font_config)
            except RefusedURL as error:
                raise BuildError(str(error)) from None
        if warnings:
            raise BuildError(f"{title}: " + "; ".join(warnings))
        return document

    @property
    def _base_url(self) -> str:
        return self.templates.folder.resolve().as_uri() + "/"

    def _linked_stylesheets(self, html: str) -> tuple[str, list[weasyprint.CSS]]:
        """Take the template's `<link rel="stylesheet">`s out of the HTML and give them back
        parsed, each parsed once per renderer: parsing the CSS and loading its fonts cost
        more than laying out a card. They keep their order, and the document's own `<style>`
        elements (auto-fit scales, press settings) still override them."""
        sheets = []
        for href in STYLESHEET_LINK.findall(html):
            if href not in self.stylesheets:
                self.stylesheets[href] = self._parse(None, href)
            sheets.append(self.stylesheets[href])
        return STYLESHEET_LINK.sub("", html), sheets

    def _parse(self, css: str | None, name: str) -> weasyprint.CSS:
        """Parse CSS text, or the stylesheet a template links as `name`."""
        with _warnings_captured() as warnings:
            try:
                sheet = weasyprint.CSS(
                    string=css,
                    url=None if css is not None else urljoin(self._base_url, name),
                    base_url=self._base_url,
                    url_fetcher=self.fetcher,
                    font_config=self.font_config,
                )
            except RefusedURL as error:
                raise BuildError(str(error)) from None
            except (URLFetchingError, OSError) as error:
                raise BuildError(
                    f"the stylesheet {name} that a template links could not be read ({error}); "
                    f"check its name against the files in {self.templates.folder}"
                ) from error
        if warnings:
            raise BuildError(f"{name}: " + "; ".join(warnings))
        return sheet

    def render(self, material: Material, context: dict, title: str) -> Rendered:
        """Lay out, shrink type where a part overflows (auto-fit), pad booklets with blank
        pages before the back cover to a multiple of 4, then write the PDF."""
        spare = material.pages_multiple_of - 1 if material.pages_multiple_of else 0
        context = {**context, "padding": spare}
        document = self.layout(self.html(material, context), title)
        fit: dict[str, float] = {}
        if material.pages and material.fit_parts and len(document.pages) > material.pages:
            document, fit = self.fit(material, context, title, document)
        if material.pages_multiple_of:
            document = self.pad(material, context, title, document)
        if material.spread and len(document.pages) == 1:
            document = self.spread(material, {**context, "fit": fit}, title, document)
        return _finish(document, fit, "pdf/x-4" if self.press else "pdf/ua-1")

    def spread(
        self, material: Material, context: dict, title: str, document: weasyprint.Document
    ) -> weasyprint.Document:
        """Spread a one-page material's blocks over the whole page, so no empty band is left
        above its bottom margin (the flyer's tear-off tabs): the slack below the element
        marked `data-spread` is shared out between its children, through the CSS variable
        `--spread` (a length each gap grows by). Costs one more layout; if that one no longer
        fits, the first layout is kept."""
        page_box = document.pages[0]._page_box
        box = next((b for b in page_box.descendants() if _has_attribute(b, "data-spread")), None)
        children = [
            child
            for child in getattr(box, "children", ())
            if getattr(child, "element", None) is not None and child.element is not box.element
        ]
        if box is None or len(children) < 2:
            return document
        bottom = page_box.content_box_y() + page_box.height
        slack_pt = (bottom - (box.position_y + box.margin_height())) * 0.75
        gap_pt = round(slack_pt / (len(children) - 1) - SPREAD_MARGIN_PT, 1)
        if gap_pt <= 0:
            return document
        spread = f"<style>:root {{ --spread: {gap_pt}pt; }}</style>"
        extra = context.get("extra_head", self.extra_head) + spread
        spread_out = self.layout(self.html(material, {**context, "extra_head": extra}), title)
        return spread_out if len(spread_out.pages) == 1 else document

    def pad(
        self, material: Material, context: dict, title: str, document: weasyprint.Document
    ) -> weasyprint.Document:
        """Keep just enough of the spare blank pages to reach a multiple of the page count.

        The document was laid out with all the spare blank pages a multiple could need (3
        for 4), each marked `id="padding-N"`; dropping the unneeded ones is much cheaper than
        laying the document out again. The pages before them do not change, and the ones
        after (the back cover) carry no page number. A template that does not mark them gets
        a second layout with the exact padding instead.
        """
        spare = context["padding"]
        padding_pages = {
            int(anchor.removeprefix("padding-")): page
            for page in document.pages
            for anchor in page.anchors
            if anchor.startswith("padding-")
        }
        if sorted(padding_pages) != list(range(1, spare + 1)):
            unpadded = self.layout(self.html(material, {**context, "padding": 0}), title)
            padding = -len(unpadded.pages) % material.pages_multiple_of
            if not padding:
                return unpadded
            return self.layout(self.html(material, {**context, "padding": padding}), title)
        needed = -(len(document.pages) - spare) % material.pages_multiple_of
        dropped = {id(padding_pages[number]) for number in range(needed + 1, spare + 1)}
        return document.copy([page for page in document.pages if id(page) not in dropped])

    def fit(
        self, material: Material, context: dict, title: str, document: weasyprint.Document
    ) -> tuple[weasyprint.Document, dict[str, float]]:
        """Shrink the type of each overflowing part, by bisection, down to the smallest
        legible size; fail naming the part and by how much it overflows if even that is
        too big."""
        fit: dict[str, float] = {}

        def attempt(scales: dict[str, float]) -> weasyprint.Document:
            return self.layout(self.html(material, {**context, "fit": scales}), title)

        while len(document.pages) > material.pages:
            part = _fit_part(material, document)
            if part is None or part in fit:
                break
            smallest = attempt({**fit, part: MIN_SCALE})
            if not _part_fits(material, smallest, part):
                overflow = self.overflow_pt(material, context, {**fit, part: MIN_SCALE}, part)
                raise BuildError(
                    f"{title}: the {part} part does not fit even at the smallest legible type "
                    f"({material.min_type_pt:g} pt): it is {overflow:.0f} pt "
                    f"({overflow / 72:.2f} in) too long; shorten its text or pick fewer entries"
                )
            low, best = MIN_SCALE, smallest
            high = 1.0
            for _step in range(BISECTION_STEPS):
                middle = round((low + high) / 2, 3)
                candidate = attempt({**fit, part: middle})
                if _part_fits(material, candidate, part):
                    low, best = middle, candidate
                else:
                    high = middle
            fit[part], document = low, best
        return document, fit

    def overflow_pt(
        self, material: Material, context: dict, fit: dict[str, float], part: str
    ) -> float:
        """How far a part runs past its frame, measured on an unlimited page."""
        normal = self.layout(self.html(material, {**context, "fit": fit}), "measure")
        tall_page = f"<style>@page {{ size: {material.width_in}in 200in; }}</style>"
        tall = self.layout(
            self.html(material, {**context, "fit": fit, "extra_head": tall_page}), "measure"
        )
        if part == "page":
            limit = normal.pages[0]._page_box.height
            used = tall.pages[0]._page_box.children[0].margin_height()
            return max(used - limit, 0) * 0.75
        boxes = (_element_box(page._page_box, f"part-{part}") for page in tall.pages)
        box = next((found for found in boxes if found is not None), None)
        if box is None:
            return 0.0
        bottoms = [
            child.position_y + child.margin_height()
            for child in box.descendants()
            if child is not box and hasattr(child, "margin_height")
        ]
        frame_bottom = box.content_box_y() + box.height
        return max(max(bottoms, default=frame_bottom) - frame_bottom, 0) * 0.75


SPREAD_MARGIN_PT = 0.5
"""Left of each gap's share of the slack, so rounding never pushes a page over."""


def _has_attribute(box: object, name: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and element.get(name) is not None


STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">\n?')
"""How templates link their stylesheets (see `Renderer._linked_stylesheets`)."""

MIN_SCALE = 0.3
"""Scale at which every size reaches its floor (the CSS keeps `max(min pt, ...)`)."""
BISECTION_STEPS = 6
"""Six halvings of 0.3..1 find the largest fitting scale within about 1%."""


def _fit_part(material: Material, document: weasyprint.Document) -> str | None:
    """The part to shrink: the overflowing one, or the whole page for one-part materials."""
    part = overflowing_part(_part_pages(document), material.pages)
    if part in material.fit_parts:
        return part
    return "page" if "page" in material.fit_parts else None


def _part_fits(material: Material, document: weasyprint.Document, part: str) -> bool:
    if len(document.pages) <= material.pages:
        return True
    return part != "page" and overflowing_part(_part_pages(document), material.pages) != part


def _part_pages(document: weasyprint.Document) -> dict[str, int]:
    """Page number (from 1) on which each `id="part-..."` element starts."""
    parts: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            if anchor.startswith("part-"):
                parts.setdefault(anchor.removeprefix("part-"), number)
    return parts


def _element_box(root: object, element_id: str) -> object | None:
    for box in root.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get("id") == element_id:
            return box
    return None


def _finish(document: weasyprint.Document, fit: dict[str, float], variant: str) -> Rendered:
    """Measure the final layout and write the PDF (reading copies: PDF/UA-1, tagged, /Lang,
    title shown; press copies: PDF/X-4)."""
    sizes = [(page.width * 0.75, page.height * 0.75) for page in document.pages]
    laid_out = [_laid_out_text(page) for page in document.pages]
    texts = [main for main, _margins in laid_out]
    margins = "".join(margin for _main, margin in laid_out)
    overflowing = [text for page in document.pages for text in _past_right_edge(page)]
    overlapping = [pair for page in document.pages for pair in _overlapping_texts(page)]
    measures = [measure_page(page) for page in document.pages]
    words = [_word_lines(page._page_box) for page in document.pages]
    discreet = [_word_lines(box) for page in document.pages for box in _discreet_boxes(page)]
    try:  # attachments and images are fetched while the PDF is written
        pdf = document.write_pdf(pdf_variant=variant)
    except RefusedURL as error:
        # a BaseException (so that WeasyPrint does not swallow it): never let it out
        raise BuildError(str(error)) from None
    return Rendered(
        pdf,
        sizes,
        _part_pages(document),
        texts,
        margins,
        fit,
        overflowing,
        overlapping,
        measures,
        words,
        discreet,
    )


def _word_lines(root: Box) -> str:
    """The text of `root` as a reader takes it in: each laid-out line on a line of its
    own, then each text box on a line of its own. Page margins (running footers, page
    numbers) are included: they are printed on the page too."""
    boxes = list(_boxes(root))
    lines = [
        "".join(text.text for text in _boxes(box) if isinstance(text, TextBox))
        for box in boxes
        if isinstance(box, LineBox)
    ]
    return "\n".join(lines + [box.text for box in boxes if isinstance(box, TextBox)])


def _discreet_boxes(page: weasyprint.Page) -> Iterator[Box]:
    """The outermost boxes of the elements marked `data-discreet` on `page`."""

    def visit(box: Box) -> Iterator[Box]:
        element = getattr(box, "element", None)
        if (
            not isinstance(box, TextBox | LineBox)
            and element is not None
            and element.get("data-discreet") is not None
        ):
            yield box
            return
        for child in getattr(box, "children", ()):
            child = getattr(child, "_box", child)
            if isinstance(child, Box):
                yield from visit(child)

    yield from visit(page._page_box)


PX_TO_PT = 0.75
SIDES = ("top", "right", "bottom", "left")


def measure_page(page: weasyprint.Page) -> PageMeasure:
    """One walk over a laid-out page for the print checks (see `handout.check`): the
    smallest type and the primary number's size (margin boxes and turned tabs included),
    automatic hyphens, rules too thin or pale to photocopy, and how far down the main text
    reaches. An element marks itself with `data-role="primary"` (the primary number) or
    `data-fill="free"` (a page that may stay partly empty: cover, contents, fill-in pages)."""
    measure = PageMeasure()
    page_box = page._page_box
    top = page_box.content_box_y()
    measure.content_height_pt = page_box.height * PX_TO_PT
    lines: list[tuple[float, Box]] = []
    bottom = top
    stack: list[tuple[Box, bool, bool]] = [
        (child, False, isinstance(child, MarginBox)) for child in page_box.children
    ]
    while stack:
        box, primary, in_margin = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and getattr(element, "get", None) is not None:
            primary = primary or element.get("data-role") == "primary"
            if element.get("data-fill") == "free":
                measure.free = True
        _rules(box, measure)
        if isinstance(box, TextBox) and box.text.strip():
            size = box.style["font_size"] * PX_TO_PT
            if measure.smallest_pt is None or size < measure.smallest_pt:
                measure.smallest_pt, measure.smallest_text = size, box.text.strip()
            if primary:
                measure.primary_pt = max(measure.primary_pt or 0.0, size)
            if not in_margin and not box.style["transform"]:
                bottom = max(bottom, box.position_y + box.height)
        if isinstance(box, LineBox) and not in_margin:
            lines.append((box.position_y, box))
        for child in getattr(box, "children", ()):
            child = getattr(child, "_box", child)
            if isinstance(child, Box):
                stack.append((child, primary, in_margin))
    measure.lines = len({round(y) for y, line in lines if _line_text(line).strip()})
    measure.filled = (bottom - top) * PX_TO_PT / measure.content_height_pt
    measure.auto_hyphens, measure.hyphen_runs = _hyphens(sorted(lines, key=lambda x: x[0]))
    return measure


def _line_text(line: Box) -> str:
    return "".join(box.text for box in _boxes(line) if isinstance(box, TextBox))


def _last_text(line: Box) -> TextBox | None:
    texts = [box for box in _boxes(line) if isinstance(box, TextBox) and box.text.strip()]
    return texts[-1] if texts else None


def _hyphens(lines: list[tuple[float, Box]]) -> tuple[list[str], list[str]]:
    """Lines broken inside a word by automatic hyphenation (the word as broken), and runs
    of two or more such lines in a row in one paragraph."""
    broken, runs = [], []
    previous_parent = None
    for _y, line in lines:
        box = _last_text(line)
        fragment = box.text.rstrip().rsplit(None, 1)[-1] if box else ""
        hyphen = box.style["hyphenate_character"] if box else "-"
        automatic = bool(
            box
            and box.style["hyphens"] == "auto"
            and fragment.endswith(hyphen)
            and fragment not in "".join(box.element.itertext() if box.element is not None else "")
        )
        if automatic:
            broken.append(fragment)
            parent = box.element
            if parent is not None and parent is previous_parent:
                runs.append(fragment)
            previous_parent = parent
        else:
            previous_parent = None
    return broken, runs


FAINT_RULE_RATIO = 3.0
"""A rule (border) must stand 3:1 against white to survive a black-and-white photocopy."""
THIN_RULE_PT = 0.75
"""...and be at least 0.75 pt wide: thinner lines break up or vanish on a copier."""


def _rules(box: Box, measure: PageMeasure) -> None:
    """Borders too thin or too pale to survive a photocopy."""
    style = box.style
    for side in SIDES:
        width = style[f"border_{side}_width"]
        if not width or style[f"border_{side}_style"] in ("none", "hidden"):
            continue
        colour = style[f"border_{side}_color"]
        red, green, blue, alpha = (getattr(colour, "rgba", None) or colour)[:4]
        hex_colour = "#" + "".join(
            f"{round((channel * alpha + (1 - alpha)) * 255):02x}" for channel in (red, green, blue)
        )
        width_pt = width * PX_TO_PT
        if width_pt < THIN_RULE_PT - 0.01 or ratio(hex_colour, "#ffffff") < FAINT_RULE_RATIO:
            element = getattr(box, "element", None)
            name = getattr(element, "tag", "?")
            classes = element.get("class") if element is not None else None
            where = f"{name}.{classes.replace(' ', '.')}" if classes else str(name)
            measure.faint_rules.append(f"{where} {side} {width_pt:.2f} pt {hex_colour}")


def _past_right_edge(page: weasyprint.Page, tolerance_px: float = 1.0) -> list[str]:
    """Texts of the main flow that end beyond the right edge of the page's content area
    (an unbreakable number, say), which would be cut off or run into the margin."""
    page_box = page._page_box
    right = page_box.content_box_x() + page_box.width + tolerance_px
    found = []
    for child in page_box.children:
        if isinstance(child, MarginBox):
            continue
        for box in _boxes(child, skip_transformed=True):
            text = getattr(box, "text", None)
            if isinstance(text, str) and text.strip() and box.position_x + box.width > right:
                found.append(text.strip())
    return found


OVERLAP_INSET = 0.25
"""Share of a text's height left out at its top and its bottom before two texts count as
overlapping: the font's full height runs past the line's in tightly set lines."""


def _overlapping_texts(page: weasyprint.Page, tolerance_px: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts of the main flow laid out on top of each other (a float that is not
    cleared, a negative margin, a box too short for its text), which would print as an
    unreadable smudge. Turned boxes are left out (see `_boxes`)."""
    spans = []
    for child in page._page_box.children:
        if isinstance(child, MarginBox):
            continue
        for box in _boxes(child, skip_transformed=True):
            if isinstance(box, TextBox) and box.text.strip():
                top = box.position_y + box.height * OVERLAP_INSET
                bottom = box.position_y + box.height * (1 - OVERLAP_INSET)
                left, right = (
                    box.position_x + tolerance_px,
                    box.position_x + box.width - tolerance_px,
                )
                spans.append((top, bottom, left, right, box.text.strip()))
    spans.sort()
    found = []
    for index, (_top, bottom, left, right, text) in enumerate(spans):
        for other_top, _bottom, other_left, other_right, other in spans[index + 1 :]:
            if other_top >= bottom:
                break  # sorted by top: no later text reaches this one
            if other_left < right and left < other_right:
                found.append((text, other))
    return found


def _boxes(box: Box, skip_transformed: bool = False) -> Iterator[Box]:
    """A box and all its descendants, positioned ones (absolute, fixed) included.

    With `skip_transformed`, leave out turned or moved boxes (CSS `transform`, like the
    flyer's tear-off tabs): their layout position is not where they are printed.
    """
    if skip_transformed and box.style["transform"]:
        return
    yield box
    for child in getattr(box, "children", ()):
        child = getattr(child, "_box", child)  # a placeholder for a positioned box
        if isinstance(child, Box):
            yield from _boxes(child, skip_transformed)


def _laid_out_text(page: weasyprint.Page) -> tuple[str, str]:
    """(main text, margin text) of a laid-out page, from WeasyPrint's box tree. Kept apart
    so a page number never lands inside a paragraph that runs on to the next page."""
    main, margins = [], []
    for child in page._page_box.children:
        target = margins if isinstance(child, MarginBox) else main
        target += [box.text for box in _boxes(child) if isinstance(getattr(box, "text", None), str)]
    return "".join(main), "".join(margins)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _warnings_captured:
    """Collect WeasyPrint's warnings (bad CSS, missing files) so a build can fail on them."""

    def __enter__(self) -> list[str]:
        self.handler = _Collect()
        self.logger = logging.getLogger("weasyprint")
        self.logger.addHandler(self.handler)
        self.propagate = self.logger.propagate
        self.logger.propagate = False
        return self.handler.messages

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate
