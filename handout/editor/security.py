"""What keeps the local editor from being driven by anything but its own pages.

The server listens on 127.0.0.1 only, but a web page on another site can still make the
browser send requests there (CSRF), and a DNS-rebinding site can make the browser believe
127.0.0.1 is its own origin. So: the Host header must name this server, every write carries
a token that only this server's own pages know, and comes from this server's origin.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(port: int) -> frozenset[str]:
    """The Host headers a browser sends for this server (the port included)."""
    return frozenset(f"{name}:{port}" for name in LOCAL_NAMES)


class HostCheck:
    """Refuse requests whose Host header is not this server (DNS rebinding).

    Starlette's TrustedHostMiddleware drops the port and cannot read `[::1]:8000`, so the
    check is done here, on the exact `name:port` (names are case-insensitive). A web page
    elsewhere can point a name of its own at 127.0.0.1 and then read what its requests
    return; the Host it sends is its own name, so it gets a bare refusal."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = Headers(scope=scope).get("host", "").strip().lower()
            if host not in self.hosts:
                response = PlainTextResponse(
                    "This preview answers only requests to 127.0.0.1, localhost or [::1].",
                    status_code=403,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def new_token() -> str:
    """The CSRF token of one server run: in every form, never in a cookie."""
    return secrets.token_urlsafe(32)


MAX_FORM_BYTES = 1024 * 1024
"""The largest body a write may send: the editor's largest form (a record with every field
and phone, or a region's labels) is a few kilobytes."""
MAX_FORM_FIELDS = 1000


def origin_refusal(headers: Headers) -> str | None:
    """Why a write (POST) is refused on its headers alone, before a byte of its body is
    read (None when it may go on): its Origin (or, without one, its Referer) is not this
    server, or it says its body is larger than any of the editor's forms."""
    here = f"http://{headers.get('host', '')}"
    origin = headers.get("origin")
    if origin is not None:
        if origin != here:
            return "this change did not come from the editor's own page (origin)"
    else:
        referer = headers.get("referer", "")
        if referer != here and not referer.startswith(here + "/"):
            return "this change did not come from the editor's own page (referer)"
    return None


def write_refusal(headers: Headers, given_token: str | None, token: str) -> str | None:
    """Why a write (POST) is refused, or None when it came from one of our own pages:
    its Origin (or, without one, its Referer) is this server, and it carries the token."""
    why = origin_refusal(headers)
    if why is not None:
        return why
    if not given_token or not hmac.compare_digest(given_token, token):
        return "the form is missing its security token; reload the page and try again"
    return None


def inside(root: Path, relative: str | Path) -> Path:
    """`root/relative`, refusing any path that leads outside `root` (`..`, absolute paths,
    symbolic links pointing out)."""
    base = root.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise PermissionError(f"{relative} is outside the content folder")
    return path
