"""HTML from Jinja2 templates, PDF from WeasyPrint, with nothing fetched from outside.

WeasyPrint is imported in this stage only (here, and by the modules that read its laid-out
pages), so commands that render nothing stay fast.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetchingError

from handout.content.errors import BuildError
from handout.content.files import DISK_FULL
from handout.layout import fonts, scripts
from handout.layout.html import Templates, fit_style, with_head
from handout.layout.materials import Material
from handout.layout.typography import document_language
from handout.render.fit import (
    BISECTION_STEPS,
    MIN_SCALE,
    element_box,
    fit_part,
    overflows,
    part_fits,
    part_pages,
)
from handout.render.lines import early_breaks
from handout.render.measure import (
    discreet_boxes,
    laid_out_text,
    measure_page,
    overlapping_texts,
    past_right_edge,
    word_lines,
)
from handout.render.press import finished_press_copy, pin_dates, stable_document_id
from handout.render.rendered import Rendered
from handout.render.tags import finish_pdf


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

    With `press`, documents get a 0.125 in bleed (page backgrounds, and bands marked to run
    to the edge, run into it), TrimBox and BleedBox, and are written as PDF/X-4 with a CMYK
    output intent, then finished for a print shop (`handout.render.press`: CMYK colours, crop
    marks outside the bleed). Otherwise they are tagged PDF/UA-1 reading copies.
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
        self.script_faces: dict[str, weasyprint.CSS] = {}
        self.extra_head = (
            f"<style>@page {{ bleed: {BLEED}; }} "
            f'@color-profile device-cmyk {{ src: url("{PRESS_PROFILE.as_uri()}"); '
            "components: cyan magenta yellow black; }</style>"
            if press
            else ""
        )

    def html(self, material: Material, context: dict) -> str:
        """The material's HTML as this renderer first lays it out (all the spare pages
        padding may need; a press copy's settings), without auto-fit scales."""
        return self.templates.first_html(material, self._own(context))

    def _own(self, context: dict) -> dict:
        """`context` as this renderer templates it (a press copy's marks its `<html>`)."""
        return {**context, "press": True} if self.press else context

    def with_settings(self, html: str, fit: dict[str, float], extra: str = "") -> str:
        """`html` with the auto-fit's scales, the press settings and `extra` in its head."""
        return with_head(html, fit_style(fit) + self.extra_head + extra)

    def layout(self, html: str, title: str) -> weasyprint.Document:
        """Lay the HTML out into pages (no PDF yet); WeasyPrint warnings are errors."""
        with _warnings_captured() as warnings:
            try:
                html, linked = self._linked_stylesheets(html)
                faces = [self.font_faces, *self._faces_beyond_packages(html)]
                document = weasyprint.HTML(
                    string=html, base_url=self._base_url, url_fetcher=self.fetcher
                ).render(stylesheets=[*faces, *linked], font_config=self.font_config)
            except RefusedURL as error:
                raise BuildError(str(error)) from None
        if warnings:
            raise BuildError(f"{title}: " + "; ".join(warnings))
        return document

    def _faces_beyond_packages(self, html: str) -> list[weasyprint.CSS]:
        """The faces of the document's language that no Python package ships (Noto Sans
        CJK SC), loaded by the first document that needs them: a machine without them
        builds every other language (see `handout.layout.fonts`)."""
        language = document_language(html)
        if not scripts.writing(language).needs_cjk:
            return []
        if "cjk" not in self.script_faces:
            faces = fonts.cjk_faces(language)  # a BuildError naming the package if missing
            self.script_faces["cjk"] = self._parse(fonts.font_face_css(faces), "CJK fonts")
        return [self.script_faces["cjk"]]

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
                if isinstance(error, OSError) and error.errno in DISK_FULL:
                    raise BuildError(
                        f"cannot write the temporary font files of the stylesheet {name} "
                        f"({error.strerror}): is the disk full? Nothing was written"
                    ) from error
                raise BuildError(
                    f"the stylesheet {name} that a template links could not be read ({error}); "
                    f"check its name against the files in {self.templates.folder}"
                ) from error
        if warnings:
            raise BuildError(f"{name}: " + "; ".join(warnings))
        return sheet

    def render(
        self,
        material: Material,
        context: dict | Callable[[], dict],
        title: str,
        html: str | None = None,
    ) -> Rendered:
        """Lay out, shrink type where a part overflows (auto-fit), pad booklets with blank
        pages before the back cover to a multiple of 4, then write the PDF.

        `html` is the material's HTML as `html()` makes it, when the build already templated
        it (to fingerprint the variant: see `handout.build.plan`); then `context` may be a
        function that composes it, called only if a template must be rendered again."""
        composed = _Once(context)
        html = html if html is not None else self.html(material, composed())
        document = self.layout(self.with_settings(html, {}), title)
        fit: dict[str, float] = {}
        if material.pages and material.fit_parts and overflows(material, document):
            document, fit = self.fit(material, html, title, document)
        if material.pages_multiple_of:
            document = self.pad(material, composed, title, document, fit)
        return _finish(document, fit, "pdf/x-4" if self.press else "pdf/ua-1")

    def pad(
        self,
        material: Material,
        context: Callable[[], dict],
        title: str,
        document: weasyprint.Document,
        fit: dict[str, float],
    ) -> weasyprint.Document:
        """Keep just enough of the spare blank pages to reach a multiple of the page count.

        The document was laid out with all the spare blank pages a multiple could need (3
        for 4), each marked `id="padding-N"`; dropping the unneeded ones is much cheaper than
        laying the document out again. The pages before them do not change, and the ones
        after (the back cover) carry no page number. A template that does not mark them gets
        a second layout with the exact padding instead.
        """
        spare = material.spare_pages
        padding_pages = {
            int(anchor.removeprefix("padding-")): page
            for page in document.pages
            for anchor in page.anchors
            if anchor.startswith("padding-")
        }
        if sorted(padding_pages) != list(range(1, spare + 1)):
            return self._padded_again(material, context(), title, fit)
        needed = -(len(document.pages) - spare) % material.pages_multiple_of
        dropped = {id(padding_pages[number]) for number in range(needed + 1, spare + 1)}
        return document.copy([page for page in document.pages if id(page) not in dropped])

    def _padded_again(
        self, material: Material, context: dict, title: str, fit: dict[str, float]
    ) -> weasyprint.Document:
        """A template that does not mark its spare pages: laid out without them, then with
        the exact padding."""
        context = self._own(context)

        def laid_out(padding: int) -> weasyprint.Document:
            html = self.templates.html(material, {**context, "padding": padding})
            return self.layout(self.with_settings(html, fit), title)

        unpadded = laid_out(0)
        padding = -len(unpadded.pages) % material.pages_multiple_of
        return laid_out(padding) if padding else unpadded

    def fit(
        self, material: Material, html: str, title: str, document: weasyprint.Document
    ) -> tuple[weasyprint.Document, dict[str, float]]:
        """Shrink the type of each overflowing part, by bisection, down to the smallest
        legible size; fail naming the part and by how much it overflows if even that is
        too big."""
        fit: dict[str, float] = {}

        def attempt(scales: dict[str, float]) -> weasyprint.Document:
            return self.layout(self.with_settings(html, scales), title)

        while overflows(material, document):
            part = fit_part(material, document)
            if part is None or part in fit:
                break
            smallest = attempt({**fit, part: MIN_SCALE})
            if not part_fits(material, smallest, part):
                overflow = self.overflow_pt(material, html, {**fit, part: MIN_SCALE}, part)
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
                if part_fits(material, candidate, part):
                    low, best = middle, candidate
                else:
                    high = middle
            fit[part], document = low, best
        return document, fit

    def overflow_pt(self, material: Material, html: str, fit: dict[str, float], part: str) -> float:
        """How far a part runs past its frame, measured on an unlimited page."""
        normal = self.layout(self.with_settings(html, fit), "measure")
        tall_page = f"<style>@page {{ size: {material.width_in}in 200in; }}</style>"
        tall = self.layout(self.with_settings(html, fit, tall_page), "measure")
        if part == "page":
            # the lowest box, not the root's height: a box of fixed height (the flyer's
            # page-tall grid) lets its content run out of it, not grow
            limit = normal.pages[0]._page_box.height
            root = tall.pages[0]._page_box.children[0]
            used = max(_bottoms(root), default=0.0) - root.position_y
            return max(used - limit, 0) * 0.75
        boxes = (element_box(page._page_box, f"part-{part}") for page in tall.pages)
        box = next((found for found in boxes if found is not None), None)
        if box is None:
            return 0.0
        frame_bottom = box.content_box_y() + box.height
        return max(max(_bottoms(box), default=frame_bottom) - frame_bottom, 0) * 0.75


def _bottoms(box: object) -> list[float]:
    """The bottom edges (margin boxes) of everything inside `box`."""
    return [
        child.position_y + child.margin_height()
        for child in box.descendants()
        if child is not box and hasattr(child, "margin_height")
    ]


class _Once:
    """A material's context, composed at most once, and only if asked for."""

    def __init__(self, context: dict | Callable[[], dict]) -> None:
        self.context = context

    def __call__(self) -> dict:
        if callable(self.context):
            self.context = self.context()
        return self.context


STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">\n?')
"""How templates link their stylesheets (see `Renderer._linked_stylesheets`)."""


def _finish(document: weasyprint.Document, fit: dict[str, float], variant: str) -> Rendered:
    """Measure the final layout and write the PDF (reading copies: PDF/UA-1, tagged, /Lang,
    title shown; press copies: PDF/X-4)."""
    sizes = [(page.width * 0.75, page.height * 0.75) for page in document.pages]
    laid_out = [laid_out_text(page) for page in document.pages]
    texts = [main for main, _margins in laid_out]
    margins = "".join(margin for _main, margin in laid_out)
    overflowing = [text for page in document.pages for text in past_right_edge(page)]
    overlapping = [pair for page in document.pages for pair in overlapping_texts(page)]
    measures = [measure_page(page) for page in document.pages]
    for page, measure in zip(document.pages, measures, strict=True):
        measure.early_breaks = early_breaks(page._page_box)
    words = [word_lines(page._page_box) for page in document.pages]
    discreet = [word_lines(box) for page in document.pages for box in discreet_boxes(page)]
    stable = contextlib.nullcontext()
    if variant == "pdf/x-4":
        pin_dates(document)
        stable = stable_document_id("\n".join([*texts, margins]).encode())
    try:  # attachments and images are fetched while the PDF is written
        with stable:
            pdf = document.write_pdf(pdf_variant=variant, finisher=finish_pdf)
    except RefusedURL as error:
        # a BaseException (so that WeasyPrint does not swallow it): never let it out
        raise BuildError(str(error)) from None
    if variant == "pdf/x-4":
        pdf = finished_press_copy(pdf)
    return Rendered(
        pdf,
        sizes,
        part_pages(document),
        texts,
        margins,
        fit,
        overflowing,
        overlapping,
        measures,
        words,
        discreet,
    )


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
