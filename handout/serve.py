"""`python build.py serve`: a live preview of the gallery while the content is edited.

The output folder is served on 127.0.0.1. The content and templates folders are watched
(watchfiles); every save starts a build, which renders only the variants that changed (the
incremental build does that). The page in the browser polls a small status endpoint and
reloads itself when the build's outcome changed. When the content has a mistake, the page
shows it (file, line, fix) instead of the previews, until the file is fixed.

The variant on screen renders first: with each poll the page says which variant it shows,
and saving a record in the editor names the variants that print it (for when no page is
open). A rebuild renders the first of those that changed, publishes it with the gallery
page (the page reloads and shows it), then renders the others and publishes them.

The reload script is added to the page as it is served; `index.html` on disk stays the
plain gallery that works from a folder without a server.

The pages are a Starlette app (`handout.editor.app`) run by uvicorn in a thread; the main
thread watches the files and builds. Saving in the editor writes a content file, which the
watcher sees like any other save: so `rebuild` is the one place a build starts.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import signal
import socket
import sys
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

from handout.editor.app import STATUS, Site, make_app
from handout.editor.security import allowed_hosts
from handout.errors import ContentErrors, UserError
from handout.gallery import INDEX, Labels, ui_environment, ui_file
from handout.load import display_path
from handout.options import from_arguments

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
        script = (
            str(ui_file("live.js"))
            .replace("__VERSION__", version)
            .replace("__STATUS__", STATUS)
            .replace("__POLL_MS__", str(POLL_MS))
        )
        tag = f"<script>\n{script}</script>\n"
        page = _with_editor_link(page)
        at = page.rfind("</body>")
        page = page[:at] + tag + page[at:] if at >= 0 else page + tag
        return page.encode("utf-8")


def live_page(title: str, error: str = "", problems: list | None = None, detail: str = "") -> str:
    """The page shown instead of the gallery: while building, or after a failed build."""
    template = ui_environment().get_template("live.html")
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


class Server:
    """uvicorn serving the app in a thread, on a socket bound to 127.0.0.1 beforehand (so
    that port 0 picks a free port, and a port in use is a clean error)."""

    def __init__(self, site: Site, port: int) -> None:
        import uvicorn

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind(("127.0.0.1", port))
        except OSError as error:
            self.socket.close()
            raise UserError(
                f"cannot serve on 127.0.0.1:{port}: {error.strerror}; choose another port with "
                "--port (0 picks a free one)"
            ) from error
        self.socket.listen(128)  # connections wait in the queue until uvicorn has started
        self.port: int = self.socket.getsockname()[1]
        app = make_app(site, allowed_hosts(self.port))
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self.uvicorn = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.uvicorn.run, kwargs={"sockets": [self.socket]}, name="server", daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.uvicorn.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def rebuild(options: argparse.Namespace, preview: Preview) -> None:
    """One build, the same as the build command's with these options (the variant on screen
    first); its outcome (success or mistake) goes to the terminal and the page."""
    from handout.pipeline import build
    from handout.progress import ProgressBar

    preview.started()
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        with ProgressBar() as progress:
            built = build(
                replace(from_arguments(options), first=preview.focus()),
                report=preview.report,
                progress=progress,
                published=preview.published,
            )
    except UserError as mistake:
        error = mistake
        print(f"error: {mistake}", file=sys.stderr, flush=True)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as bug:  # also a library's BaseException: the preview lives on
        error = bug
        traceback.print_exc()
    seconds = time.perf_counter() - started
    preview.finished(error)
    if error is None:
        print(f"Rebuilt {len(built)} PDFs in {seconds:.2f} s.", flush=True)
    else:
        print(f"Build failed after {seconds:.2f} s; the page shows why.", flush=True)


def serve(options: argparse.Namespace) -> int:
    """Serve and rebuild until Ctrl-C (or SIGTERM)."""
    import watchfiles

    from handout.pipeline import load

    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        title = Labels.of(load(options.content)).title
    except UserError:
        title = Labels().title
    preview = Preview(options.out, title)
    server = Server(
        Site(
            preview,
            options.content,
            options.out,
            options.templates,
            commit=getattr(options, "commit", False),
        ),
        options.port,
    )
    url = f"http://127.0.0.1:{server.port}/"
    print(f"Serving the preview of {display_path(options.out)} at {url}  (Ctrl-C stops)")
    try:
        rebuild(options, preview)
        _warm_up()
        print(f"Watching {display_path(options.content)} and {display_path(options.templates)}")
        for changes in watchfiles.watch(options.content, options.templates):
            names = sorted({display_path(Path(path)).as_posix() for _change, path in changes})
            print(f"Changed: {', '.join(names)}")
            rebuild(options, preview)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Stopped.")
    return 0


def _warm_up() -> None:
    """Import the renderer once, so that later rebuilds (and the worker processes they
    fork) do not pay for loading WeasyPrint again."""
    import handout.render  # noqa: F401
