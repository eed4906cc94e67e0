"""The web app of `python build.py serve`: the live preview, and the editor's pages.

Routes: `/` is the gallery of the last build (with the reload script), `/__handout__/status`
what the page polls, `/__handout__/events` the same pushed as it changes (see
`handout.preview.events`), `/edit/...` the editor, `/thumbnails/...` the gallery's pictures
(also those a rebuild just removed, for a page not yet reloaded: `handout.preview.kept`);
every other path is a file of the output folder. Every request must name this server in its Host
header; every POST must come from this server's own page and carry its token (see
`security`); no answer may be framed by another page, and each carries a strict Content
Security Policy (see `headers`).
"""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from handout.editor import pages
from handout.editor.headers import SecurityHeaders
from handout.editor.security import HostCheck
from handout.editor.site import Site
from handout.preview.events import events
from handout.preview.kept import thumbnail_route
from handout.preview.live import EVENTS, STATUS


class NoStore(StaticFiles):
    """The output folder's files, never cached: they change with every build."""

    def file_response(self, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def check_config(self) -> None:
        """The output folder may not exist yet while the first build runs: a request for
        a file in it is then a plain 404, not a server error."""
        if self.directory is not None and not os.path.isdir(self.directory):
            return
        await super().check_config()


def make_app(site: Site, hosts: frozenset[str]) -> ASGIApp:
    """The app for one server run; `hosts` are the Host headers it answers to. Every
    answer, errors and files included, carries the headers of `SecurityHeaders`."""

    async def gallery(_request: Request) -> Response:
        return Response(
            site.preview.served_page(),
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-store"},
        )

    async def without_end_slash(request: Request) -> Response:
        """An editor address typed with a slash at its end (`/edit/layout/`) opens its page,
        instead of the output folder's "not found" (which catches every other address)."""
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(request.url.path.rstrip("/") + query, status_code=307)

    async def status(request: Request) -> Response:
        shown = request.query_params.get("shown")
        if shown:
            site.preview.shown(shown)
        return JSONResponse(site.preview.state(), headers={"Cache-Control": "no-store"})

    async def news(request: Request) -> Response:
        return await events(request, site.preview)

    routes = [
        Route("/", gallery),
        Route("/index.html", gallery),
        Route(STATUS, status),
        Route(EVENTS, news),
        thumbnail_route(site.preview.kept),
        *pages.routes(site),
        Route("/edit/{page:path}/", without_end_slash, methods=["GET", "HEAD"]),
        Mount("/", NoStore(directory=site.out, check_dir=False)),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(HostCheck, hosts=hosts)])
    return SecurityHeaders(app)
