"""`python build.py serve`: a live preview of the gallery while the content is edited.

The output folder is served on 127.0.0.1. The content and templates folders are watched
(watchfiles); every save starts a build, which renders only the variants that changed (the
incremental build does that). The page in the browser polls a small status endpoint and
reloads itself when the build's outcome changed. When the content has a mistake, the page
shows it (file, line, fix) instead of the previews, until the file is fixed.

The reload script is added to the page as it is served; `index.html` on disk stays the
plain gallery that works from a folder without a server.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import signal
import sys
import threading
import time
import traceback
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from handout.errors import ContentErrors, UserError
from handout.gallery import INDEX, Labels, ui_environment, ui_file
from handout.load import display_path

STATUS = "/__handout__/status"
"""The endpoint the served page polls: {"version": ..., "building": ...}."""
POLL_MS = 400
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
"""The names under which the preview may be asked for (always with its port)."""
REFUSED = b"This preview answers only requests to 127.0.0.1, localhost or [::1].\n"


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

    def started(self) -> None:
        with self.lock:
            self.building = True

    def finished(self, error: BaseException | None) -> None:
        """Record a build's outcome: the gallery written to disk, or the error page."""
        if error is None:
            page = (self.out_dir / INDEX).read_text(encoding="utf-8")
        else:
            page = error_page(error, self.title)
        with self.lock:
            self.page = page
            self.version = hashlib.sha256(page.encode("utf-8")).hexdigest()[:16]
            self.building = False

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "building": self.building}).encode()

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


class Handler(SimpleHTTPRequestHandler):
    """Files of the output folder; the page and the status endpoint from the Preview."""

    def __init__(self, *args, preview: Preview, **kwargs) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.out_dir), **kwargs)

    def do_GET(self) -> None:
        if not self._addressed_to_us():
            return
        path = urlsplit(self.path).path
        if path == STATUS:
            self._send(self.preview.status(), "application/json")
        elif path in ("/", f"/{INDEX}"):
            self._send(self.preview.served_page(), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._addressed_to_us():
            super().do_HEAD()

    def _addressed_to_us(self) -> bool:
        """Answer only requests whose Host is this server: 127.0.0.1, localhost or [::1]
        with its port. A web page elsewhere can point a name of its own at 127.0.0.1 (DNS
        rebinding) and then read what its requests return; the Host it sends is its own
        name, so it gets a bare refusal, not the previews or an error page."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        if host in {f"{name}:{port}" for name in LOOPBACK_NAMES}:
            return True
        self.send_response(403)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(REFUSED)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(REFUSED)
        return False

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows the builds, not every request."""


def start_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, preview=preview))
    except OSError as error:
        raise UserError(
            f"cannot serve on 127.0.0.1:{port}: {error.strerror}; choose another port with "
            "--port (0 picks a free one)"
        ) from error
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server


def rebuild(options: argparse.Namespace, preview: Preview) -> None:
    """One build; its outcome (success or mistake) goes to the terminal and the page."""
    from handout.pipeline import build
    from handout.progress import ProgressBar

    preview.started()
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        with ProgressBar() as progress:
            built = build(
                options.content,
                options.templates,
                options.out,
                regions=options.region,
                materials=options.material,
                languages=options.lang,
                jobs=options.jobs,
                progress=progress,
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
    server = start_server(preview, options.port)
    url = f"http://127.0.0.1:{server.server_port}/"
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
        server.shutdown()
        server.server_close()
    print("Stopped.")
    return 0


def _warm_up() -> None:
    """Import the renderer once, so that later rebuilds (and the worker processes they
    fork) do not pay for loading WeasyPrint again."""
    import handout.render  # noqa: F401
