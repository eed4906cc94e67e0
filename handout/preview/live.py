"""What the live preview shows: the page of the last build (the gallery, or the mistake
that stopped it) with its reload script, its version, and which variant is on screen.
`handout.preview.rebuild` builds and updates it; the web app (`handout.editor.app`) serves it."""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from handout.build.gallery import (
    INDEX,
    Labels,
    material_name,
    recorded_digest,
    ui_environment,
    ui_file,
)
from handout.content.errors import ContentErrors, UserError
from handout.preview.changes import Changes
from handout.preview.kept import KeptThumbnails
from handout.preview.problems import gallery_with_problems, keeps_gallery

UI = Path(__file__).parent / "ui"
"""The live page's template and script (its stylesheet is the gallery's)."""

STATUS = "/__handout__/status"
"""The endpoint the served page polls: {"version": ..., "building": ..., "done": 3,
"total": 36, "latest": "Danbury, Spanish, Flyer", "first": ...} (see `Preview.state`). The
page says which variant it shows (`?shown=region/language/material`): a rebuild renders
that first."""
EVENTS = "/__handout__/events"
"""The stream of the same states, pushed as they change (server-sent events); the page
polls `STATUS` instead when the stream fails, and slowly beside it (to say what it shows)."""
POLL_MS = 400
STREAMED_POLL_MS = 1000
"""How often the page polls while the stream brings the news (only to say what it shows)."""
ON_SCREEN_S = 3.0
"""How long the variant a gallery page said it shows counts as on screen (a visible page
says it with every poll)."""
VARIANT = re.compile(r"([\w-]{1,100})/([\w-]{1,100})/([\w-]{1,100})")
Variant = tuple[str, str, str]
"""(region, language, material)."""


class Preview:
    """What the server shows: the page of the last build (the gallery, or its error) and
    a version that changes whenever that page changes."""

    def __init__(self, out_dir: Path, title: str = "Handout", labels: Labels | None = None) -> None:
        self.out_dir = out_dir
        self.title = title
        self.labels = labels or Labels(title=title)
        self.lock = threading.Lock()
        self.building = False
        self.kept = KeptThumbnails(out_dir)
        """The thumbnails of the pages served lately, for a browser still showing one."""
        self.page = waiting_page(title)
        self.version = "starting"
        self.editor_open = True
        """Whether the editor can open the records (not while the content fails to load)."""
        self.done, self.total, self.latest = 0, 0, ""
        """This build's progress: variants rendered, to render, and the last one published."""
        self.published_count = 0
        """This build's PDFs published so far."""
        self.first_build = True
        """No build has ended since the server started."""
        self.results: dict[tuple[str, ...], str] = {}
        """(region, language, material) -> what the last build said of that PDF (pages,
        type shrunk to fit); only variants rebuilt since the server started."""
        self.error = ""
        """The last build's mistake ("...does not fit... N pt too long"), or nothing."""
        self.on_screen: tuple[Variant, float] | None = None
        """The variant the gallery page last said it shows, and when (`time.monotonic`)."""
        self.edited: tuple[Variant, ...] = ()
        """The variants that print the record last saved in the editor, likeliest first."""
        self.changes = Changes()
        """The saves not built yet (the editor and the file watcher tell them)."""
        self.listeners: set[Callable[[], None]] = set()
        """Called (from any thread) whenever `state()` may have changed: the event streams."""
        self.closed = False
        """The server is stopping: the event streams end."""
        self._show_last_gallery()

    def _show_last_gallery(self) -> None:
        """The gallery the last build left in the output folder, if any: shown while the
        first build runs (it says so), rather than an empty page."""
        index = self.out_dir / INDEX
        if recorded_digest(index) is not None:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                self._show(index.read_text(encoding="utf-8"))

    def report(self, line: str) -> None:
        """A line of the build's report: printed, and kept when it is about one PDF (then
        it is counted: "[3/36]")."""
        parts = line.strip().split("  ")
        if parts and parts[0].endswith(".pdf") and len(parts) > 1:
            region, language, material = Path(parts[0]).parts[-3:]
            material = material.removesuffix(".pdf")
            with self.lock:
                self.results[(region, language, material)] = parts[1]
                self.published_count += 1
                self.latest = self.variant_name((region, language, material))
                count = f"[{self.published_count}/{self.total}] " if self.total else ""
            line = f"  {count}{line.strip()}"
            self._changed()
        print(line, flush=True)

    def variant_name(self, variant: Variant) -> str:
        """A variant as the page names it: "Danbury, Spanish, Flyer"."""
        region, language, material = variant
        return ", ".join(
            (self.labels.region(region), self.labels.language(language), material_name(material))
        )

    def progress(self, done: int, total: int) -> None:
        """The build's `progress(done, total)`: variants rendered so far, of all it renders."""
        with self.lock:
            first_news = total and not self.total
            self.done, self.total = done, total
            self._changed()
        if first_news:
            plural = "s" if total != 1 else ""
            print(f"Rendering {total} PDF{plural}; each shows in the preview when it is ready.")

    def started(self) -> None:
        with self.lock:
            self.building = True
            self.done, self.total, self.latest = 0, 0, ""
            self.published_count = 0
            self._changed()

    def published(self) -> None:
        """The build published PDFs and their gallery page: show that page now (the build
        may go on with the variants not on screen)."""
        page = (self.out_dir / INDEX).read_text(encoding="utf-8")
        with self.lock:
            self._show(page)

    def finished(self, error: BaseException | None, editor_open: bool = True) -> None:
        """Record a build's outcome: the gallery written to disk; or, when only some
        variants failed (the content loads), the gallery with the problem above it; or
        else the error page. `editor_open`: whether the content loads (the editor can open
        the records then)."""
        page = self._page_after(error, editor_open)
        with self.lock:
            self.error = "" if error is None else str(error)
            self.editor_open = editor_open
            self._show(page)
            self.building = False
            self.first_build = False
            self._changed()

    def problem(self, error: BaseException) -> None:
        """A mistake found while the build goes on (the variant on screen does not fit):
        shown now, as `finished` will show it, unless the build then ends well."""
        page = self._page_after(error, editor_open=True)
        with self.lock:
            self._show(page)

    def _page_after(self, error: BaseException | None, editor_open: bool) -> str:
        index = self.out_dir / INDEX
        if error is None:
            return index.read_text(encoding="utf-8")
        if keeps_gallery(error, editor_open) and recorded_digest(index) is not None:
            gallery = index.read_text(encoding="utf-8")
            return gallery_with_problems(gallery, error, self.variant_name)  # type: ignore[arg-type]
        return error_page(error, self.title, self.published_count)

    def _show(self, page: str) -> None:
        """Show `page` from now on (called with the lock held, or before the server runs)."""
        self.kept.remember(page)
        self.page = page
        self.version = hashlib.sha256(page.encode("utf-8")).hexdigest()[:16]
        self._changed()

    def _changed(self) -> None:
        """Tell the event streams that `state()` may have changed (each listener only
        wakes its stream, which reads the state itself)."""
        for listener in list(self.listeners):
            listener()

    def listen(self, listener: Callable[[], None]) -> None:
        with self.lock:
            self.listeners.add(listener)

    def unlisten(self, listener: Callable[[], None]) -> None:
        with self.lock:
            self.listeners.discard(listener)

    def close(self) -> None:
        """The server stops: end the event streams (uvicorn waits for open answers)."""
        with self.lock:
            self.closed = True
            self._changed()

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

    def state(self) -> dict[str, str | bool | int]:
        """What the page polls: its version, and while a build runs, how far it is (and
        whether it is the first since the server started: the gallery is still filling)."""
        with self.lock:
            return {
                "version": self.version,
                "building": self.building,
                "done": self.done,
                "total": self.total,
                "latest": self.latest,
                "first": self.first_build,
            }

    def served_page(self) -> bytes:
        """The current page with the reload script (only here, never on disk)."""
        with self.lock:
            page, version, editor = self.page, self.version, self.editor_open
        tag = f'<script data-version="{html.escape(version)}">{live_script()}</script>\n'
        if editor:
            page = _with_editor_banner(page)
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
        .replace("__EVENTS__", EVENTS)
        .replace("__POLL_MS__", str(POLL_MS))
        .replace("__STREAMED_POLL_MS__", str(STREAMED_POLL_MS))
    )


def live_page(
    title: str,
    error: str = "",
    problems: list | None = None,
    detail: str = "",
    published: int = 0,
) -> str:
    """The page shown instead of the gallery: while building, or after a failed build
    (`published`: how many PDFs that build had published before it failed)."""
    template = ui_environment(UI).get_template("live.html")
    return template.render(
        title=title,
        css=ui_file("gallery.css"),
        error=error,
        problems=problems or [],
        detail=detail,
        published=published,
    )


def waiting_page(title: str) -> str:
    return live_page(title)


def error_page(error: BaseException, title: str, published: int = 0) -> str:
    """The build's mistake as a page: each problem with its file, line and fix."""
    problems, detail, heading = [], "", str(error)
    if isinstance(error, ContentErrors):
        problems = error.problems
        heading = str(error.args[0]) if error.args else str(error).splitlines()[0]
    elif not isinstance(error, UserError):
        heading = "This is a bug in handout, not a mistake of yours. Please report it."
        detail = "".join(traceback.format_exception(error))
    return live_page(title, heading, problems, detail, published)


EDITOR_BANNER = (
    '<nav class="editor-banner" aria-label="Editor">\n'
    "  <p>Is a phone number, address or opening time wrong? Change it in the editor. This "
    "page shows the new cards a few seconds after you save.</p>\n"
    '  <a class="editor-button" href="/edit/">Edit the facts'
    ' <span aria-hidden="true">→</span></a>\n'
    "</nav>\n"
)
"""The way in to the editor: served only (the file on disk has no editor behind it), and
only while the editor can open the records."""


def _with_editor_banner(page: str) -> str:
    """The editor's banner at the top of the page, after the skip link (served only)."""
    at = page.find('<header class="top"')
    if at < 0:
        at = page.find("<body")
        at = page.index(">", at) + 1 if at >= 0 else 0
    return page[:at] + EDITOR_BANNER + page[at:]
