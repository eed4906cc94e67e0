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
import signal
import socket
import sys
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

from handout.build.gallery import Labels
from handout.build.options import from_arguments
from handout.content.errors import UserError
from handout.content.read import display_path
from handout.editor.app import Site, make_app
from handout.editor.security import allowed_hosts
from handout.preview.live import Preview


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
    from handout.build.pipeline import build
    from handout.build.progress import ProgressBar

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

    from handout.build.pipeline import load

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
        _warm_up()  # before the first build: then the files are watched as soon as it ends
        rebuild(options, preview)
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
    """Import the renderer and what it uses once, so that the rebuilds (and the worker
    processes they fork) do not pay for loading them again. Done before the first build,
    not between it and the watching: a save made while WeasyPrint loaded there went unseen
    (the page, reloaded at the end of the build, invites one at once)."""
    from handout.build.workers import preload

    preload()
