"""The page's news as a stream (server-sent events): each state of the preview (its version,
how far the build is; see `Preview.state`) as soon as it changes, instead of at the next
poll. The page falls back to polling when the stream fails (`live.js`).

Only this server's own pages may read it: a request another site's page makes (its Origin,
or the browser's Sec-Fetch-Site, says so) is refused, as the Host check refuses another
name (DNS rebinding); the answer carries no CORS header, so a browser gives no other origin
its contents anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from handout.preview.live import Preview

KEEP_ALIVE_S = 15.0
"""A comment line this often when nothing changed: a proxy or browser that drops a silent
connection keeps it, and a closed one is found."""


def stream_refusal(headers: Headers) -> str | None:
    """Why a request for the stream is refused (None: it comes from this server's page).
    A same-origin EventSource sends no Origin; a cross-origin one does."""
    here = f"http://{headers.get('host', '')}"
    origin = headers.get("origin")
    if origin is not None and origin != here:
        return "the preview's news are only for its own page (origin)"
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "the preview's news are only for its own page (fetch site)"
    return None


async def events(request: Request, preview: Preview) -> Response:
    """`/__handout__/events`: the preview's state now, then each time it changes."""
    refusal = stream_refusal(request.headers)
    if refusal is not None:
        return PlainTextResponse(refusal, status_code=403, headers={"Cache-Control": "no-store"})
    shown = request.query_params.get("shown")
    if shown:
        preview.shown(shown)
    return StreamingResponse(
        _states(preview),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _states(preview: Preview) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def woken() -> None:  # called from the builder's thread
        with contextlib.suppress(RuntimeError):  # the loop closed: the server stops
            loop.call_soon_threadsafe(wake.set)

    preview.listen(woken)
    try:
        last = None
        while not preview.closed:
            state = preview.state()
            if state != last:
                yield f"data: {json.dumps(state)}\n\n"
                last = state
            try:
                await asyncio.wait_for(wake.wait(), KEEP_ALIVE_S)
            except TimeoutError:
                yield ": still here\n\n"
            wake.clear()
    finally:
        preview.unlisten(woken)
