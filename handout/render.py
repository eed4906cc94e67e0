"""HTML from Jinja2 templates, PDF from WeasyPrint, with nothing fetched from outside.

WeasyPrint is imported here and nowhere else, so commands that render nothing stay fast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.formatting_structure.boxes import MarginBox
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from handout import fonts
from handout.errors import BuildError
from handout.html import Templates
from handout.materials import Material


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


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    page_sizes: list[tuple[float, float]]
    part_pages: dict[str, int]
    """Page number (from 1) on which each `id="part-..."` element of the template starts."""
    page_texts: list[str]
    """The text laid out in each page's main area, as printed."""
    margin_text: str = ""
    """The text laid out in the page margins (page numbers, running elements)."""

    @property
    def pages(self) -> int:
        return len(self.page_sizes)


class Renderer:
    """Turns a material's context into a PDF. One instance renders many documents."""

    def __init__(self, templates: Path) -> None:
        self.templates = Templates(templates)
        self.font_faces = fonts.font_face_css()
        self.fetcher = ProjectOnlyFetcher((templates, *fonts.FONT_FOLDERS))

    def html(self, material: Material, context: dict) -> str:
        return self.templates.html(material, context, self.font_faces)

    def pdf(self, html: str, title: str) -> Rendered:
        with _warnings_captured() as warnings:
            try:
                document = weasyprint.HTML(
                    string=html, base_url=str(self.templates.folder) + "/", url_fetcher=self.fetcher
                ).render()
            except RefusedURL as error:
                raise BuildError(str(error)) from error
        if warnings:
            raise BuildError(f"{title}: " + "; ".join(warnings))
        sizes = [(page.width * 0.75, page.height * 0.75) for page in document.pages]
        parts = {}
        for number, page in enumerate(document.pages, start=1):
            for anchor in page.anchors:
                if anchor.startswith("part-"):
                    parts.setdefault(anchor.removeprefix("part-"), number)
        laid_out = [_laid_out_text(page) for page in document.pages]
        texts = [main for main, _margins in laid_out]
        margins = "".join(margin for _main, margin in laid_out)
        # PDF/UA-1: tagged (headings, lists, links in a structure tree), /Lang, title shown
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
        return Rendered(pdf, sizes, parts, texts, margins)

    def render(self, material: Material, context: dict, title: str) -> Rendered:
        """Render; for booklets, pad with blank pages before the back cover to a multiple of 4."""
        rendered = self.pdf(self.html(material, {**context, "padding": 0}), title)
        if material.pages_multiple_of:
            padding = -rendered.pages % material.pages_multiple_of
            if padding:
                html = self.html(material, {**context, "padding": padding})
                rendered = self.pdf(html, title)
        return rendered


def _laid_out_text(page: weasyprint.Page) -> tuple[str, str]:
    """(main text, margin text) of a laid-out page, from WeasyPrint's box tree. Kept apart
    so a page number never lands inside a paragraph that runs on to the next page."""
    main, margins = [], []
    for child in page._page_box.children:
        target = margins if isinstance(child, MarginBox) else main
        target += [
            box.text for box in child.descendants() if isinstance(getattr(box, "text", None), str)
        ]
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
