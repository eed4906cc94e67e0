"""Thumbnails stay on screen while a rebuild runs.

A thumbnail is named after its PDF's hash, and a build removes the thumbnails no variant
uses any more as soon as it publishes the new ones. A browser still shows the page it
loaded before, for a moment (until its next poll and reload), or longer (a tab in the
background, pictures loaded only when scrolled to): without more, the pictures it asks for
then are gone (404) and their frames stay empty. So the preview keeps in memory the
thumbnails of every page it served lately, and serves a picture from there when the output
folder no longer has it: the old picture stays until the page that shows the new one is
loaded.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from handout.build.gallery import THUMBNAILS

SOURCE = re.compile(rf'src="{THUMBNAILS}/([\w-]+\.webp)"')
"""A thumbnail in a gallery page (names are letters, digits, `_` and `-`: see
`handout.build.gallery.thumbnail_name`)."""
KEPT_S = 600.0
"""How long the thumbnails of a page no longer served are kept (a tab in the background
polls slowly, and reloads when it comes to the front)."""
CACHED = "private, max-age=3600, immutable"
"""A thumbnail's name changes with its picture (it names the PDF's hash): a browser may keep
it, and shows it at once when the page reloads after a rebuild (no empty frame meanwhile)."""


class KeptThumbnails:
    """The bytes of the thumbnails of the pages served lately, by name."""

    def __init__(self, out_dir: Path) -> None:
        self.folder = out_dir / THUMBNAILS
        self.lock = threading.Lock()
        self.current: set[str] = set()
        self.earlier: list[tuple[float, set[str]]] = []
        """The thumbnails of pages no longer served, with when they stopped being served."""
        self.images: dict[str, bytes] = {}

    def remember(self, page: str) -> None:
        """`page` is served from now on: read its thumbnails (the build has just published
        them), and forget those of pages replaced more than `KEPT_S` ago."""
        names = set(SOURCE.findall(page))
        read = {}
        for name in names - self.images.keys():
            try:
                read[name] = (self.folder / name).read_bytes()
            except OSError:
                continue  # the gallery shows "no preview" for it
        now = time.monotonic()
        with self.lock:
            self.images.update(read)
            if names != self.current:
                self.earlier = [(now, self.current), *self.earlier]
                self.current = names
            self.earlier = [(when, old) for when, old in self.earlier if now - when < KEPT_S]
            wanted = self.current.union(*(old for _when, old in self.earlier))
            self.images = {name: data for name, data in self.images.items() if name in wanted}

    def image(self, name: str) -> bytes | None:
        with self.lock:
            return self.images.get(name)


def thumbnail_route(kept: KeptThumbnails) -> Route:
    """`/thumbnails/<name>`: from the output folder, or else from those kept in memory."""

    async def thumbnail(request: Request) -> Response:
        name = request.path_params["name"]
        data = None
        if SOURCE.fullmatch(f'src="{THUMBNAILS}/{name}"'):
            data = kept.image(name)
            if data is None:
                try:
                    data = (kept.folder / name).read_bytes()
                except OSError:
                    data = None
        if data is None:
            return Response("No such thumbnail.", 404, headers={"Cache-Control": "no-store"})
        return Response(data, media_type="image/webp", headers={"Cache-Control": CACHED})

    return Route(f"/{THUMBNAILS}/{{name}}", thumbnail)
