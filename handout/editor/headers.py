"""The headers every answer of `serve` carries, whatever answers: a page, a file of the
output folder, an error, a redirect, a refusal.

The editor's pages carry a token and check the Origin of every write, but a page of
another site could still show them in a frame made nearly invisible, under a bait it asks
the user to click: the click lands on Undo, Delete or "Confirmed today" and passes every
check (clickjacking). So no answer may be framed by anyone (`frame-ancestors 'none'`, and
`X-Frame-Options: DENY` for older browsers), and the Content Security Policy allows nothing
the pages do not need: no script or stylesheet but the inline ones they are built with,
each allowed by its hash (the gallery's and the editor's stylesheets, the gallery's
filters, the live reload script, the translations page's placeholder check, the editor's
remembered name); images, the status poll and forms only from this server; no plugin, no
`<base>`. `nosniff` keeps a browser from running an output file as something it is not;
the referrer stays on this server, and no other site may load its files or keep a handle on
its windows.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handout.build.gallery import UI as GALLERY_UI
from handout.preview.live import UI as LIVE_UI
from handout.preview.live import live_script

EDITOR_UI = Path(__file__).parent / "templates"
SCRIPTS = (
    GALLERY_UI / "gallery.js",
    LIVE_UI / "live.js",
    EDITOR_UI / "translations.js",
    EDITOR_UI / "editor.js",
)
STYLES = (GALLERY_UI / "gallery.css", EDITOR_UI / "editor.css")


def _source(path: Path) -> str:
    """The text a page inlines for a packaged file (the live script with its constants)."""
    if path == LIVE_UI / "live.js":
        return live_script()
    return path.read_text(encoding="utf-8")


def _hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


@functools.lru_cache(maxsize=4)
def _policy(_versions: tuple[int, ...]) -> str:
    scripts = " ".join(_hash(_source(path)) for path in SCRIPTS)
    styles = " ".join(_hash(_source(path)) for path in STYLES)
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


def content_security_policy() -> str:
    """The policy of every answer, with the hashes of the packaged files as they are now
    (made again when one of them changes, as while the project is developed)."""
    return _policy(tuple(path.stat().st_mtime_ns for path in (*SCRIPTS, *STYLES)))


def security_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


class SecurityHeaders:
    """Adds `security_headers()` to every HTTP answer of the app it wraps. It wraps the
    whole app, outside Starlette's own error handling, so that an error page carries them
    too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in security_headers().items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
