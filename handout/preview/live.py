"""What the live preview shows: the page of the last build (the gallery, or the mistake
that stopped it) with its reload script, its version, and which variant is on screen.
`handout.preview.rebuild` builds and updates it; the web app (`handout.editor.app`) serves it."""

from __future__ import annotations

import hashlib
import html
import re
import threading
import time
import traceback
from pathlib import Path

from handout.build.gallery import INDEX, ui_environment, ui_file
from handout.content.errors import ContentErrors, UserError

UI = Path(__file__).parent / "ui"
"""The live page's template and script (its stylesheet is the gallery's)."""

STATUS = "/__handout__/status"
"""The endpoint the served page polls: {"version": ..., "building": ...}. The page says
which variant it shows (`?shown=region/language/material`): a rebuild renders that first."""
POLL_MS = 400
ON_SCREEN_S = 3.0
"""How long the variant a gallery page said it shows counts as on screen (a visible page
says it with every poll)."""
VARIANT = re.compile(r"([\w-]{1,100})/([\w-]{1,100})/([\w-]{1,100})")
Variant = tuple[str, str, str]
"""(region, language, material)."""


class Preview:
    """What the server shows: the page of the last build (the gallery, or its error) and
    a version that changes whenever that page changes."""

    def __init__(self, out_dir: Path, title: str = "Handout") -> None:
        self.out_dir = out_dir
        self.title = title
        self.lock = threading.Lock()
        self.building = False
        self.page = waiting_page(title)
        self.version = "starting"
        self.results: dict[tuple[str, ...], str] = {}
        """(region, language, material) -> what the last build said of that PDF (pages,
        type shrunk to fit); only variants rebuilt since the server started."""
        self.error = ""
        """The last build's mistake ("...does not fit... N pt too long"), or nothing."""
        self.on_screen: tuple[Variant, float] | None = None
        """The variant the gallery page last said it shows, and when (`time.monotonic`)."""
        self.edited: tuple[Variant, ...] = ()
        """The variants that print the record last saved in the editor, likeliest first."""

    def report(self, line: str) -> None:
        """A line of the build's report: printed, and kept when it is about one PDF."""
        print(line, flush=True)
        parts = line.strip().split("  ")
        if parts and parts[0].endswith(".pdf") and len(parts) > 1:
            key = Path(parts[0]).parts[-3:]
            with self.lock:
                self.results[(*key[:2], key[2].removesuffix(".pdf"))] = parts[1]

    def started(self) -> None:
        with self.lock:
            self.building = True

    def published(self) -> None:
        """The build published PDFs and their gallery page: show that page now (the build
        may go on with the variants not on screen)."""
        page = (self.out_dir / INDEX).read_text(encoding="utf-8")
        with self.lock:
            self._show(page)

    def finished(self, error: BaseException | None) -> None:
        """Record a build's outcome: the gallery written to disk, or the error page."""
        if error is None:
            page = (self.out_dir / INDEX).read_text(encoding="utf-8")
        else:
            page = error_page(error, self.title)
        with self.lock:
            self.error = "" if error is None else str(error)
            self._show(page)
            self.building = False

    def _show(self, page: str) -> None:
        self.page = page
        self.version = hashlib.sha256(page.encode("utf-8")).hexdigest()[:16]

    def shown(self, variant: str) -> None:
        """The gallery page shows `variant` ("region/language/material")."""
        found = VARIANT.fullmatch(variant)
        if found:
            with self.lock:
                self.on_screen = (found.groups(), time.monotonic())  # type: ignore[assignment]

    def saved(self, variants: tuple[Variant, ...]) -> None:
        """A record was saved in the editor; these variants print it, likeliest first."""
        with self.lock:
            self.edited = variants

    def focus(self) -> tuple[Variant, ...]:
        """The variants to render first, in order: the one on screen (if a gallery page
        said so lately), then those printing the record saved last in the editor."""
        with self.lock:
            on_screen, edited = self.on_screen, self.edited
        if on_screen is not None and time.monotonic() - on_screen[1] < ON_SCREEN_S:
            return (on_screen[0], *edited)
        return edited

    def state(self) -> dict[str, str | bool]:
        with self.lock:
            return {"version": self.version, "building": self.building}

    def served_page(self) -> bytes:
        """The current page with the reload script (only here, never on disk)."""
        with self.lock:
            page, version = self.page, self.version
        tag = f'<script data-version="{html.escape(version)}">{live_script()}</script>\n'
        page = _with_editor_link(page)
        at = page.rfind("</body>")
        page = page[:at] + tag + page[at:] if at >= 0 else page + tag
        return page.encode("utf-8")


def live_script() -> str:
    """The reload script exactly as the served page holds it: the same text for every page
    and build (the version is in the tag's `data-version`), so that the pages' Content
    Security Policy allows it by its hash (see `handout.editor.headers`)."""
    return (
        str(ui_file("live.js", UI))
        .replace("__STATUS__", STATUS)
        .replace("__POLL_MS__", str(POLL_MS))
    )


def live_page(title: str, error: str = "", problems: list | None = None, detail: str = "") -> str:
    """The page shown instead of the gallery: while building, or after a failed build."""
    template = ui_environment(UI).get_template("live.html")
    return template.render(
        title=title, css=ui_file("gallery.css"), error=error, problems=problems or [], detail=detail
    )


def waiting_page(title: str) -> str:
    return live_page(title)


def error_page(error: BaseException, title: str) -> str:
    """The build's mistake as a page: each problem with its file, line and fix."""
    problems, detail, heading = [], "", str(error)
    if isinstance(error, ContentErrors):
        problems = error.problems
        heading = str(error.args[0]) if error.args else str(error).splitlines()[0]
    elif not isinstance(error, UserError):
        heading = "This is a bug in handout, not a mistake of yours. Please report it."
        detail = "".join(traceback.format_exception(error))
    return live_page(title, heading, problems, detail)


def _with_editor_link(page: str) -> str:
    """A link from the preview to the editor, first in the page (served only)."""
    link = (
        '<nav class="editor-link" aria-label="Editor"><a href="/edit/">Edit the facts</a></nav>\n'
    )
    at = page.find("<body")
    if at < 0:
        return link + page
    at = page.index(">", at) + 1
    return page[:at] + "\n" + link + page[at:]
