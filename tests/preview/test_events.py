"""The page's news pushed as server-sent events (`/__handout__/events`): the real app on a
real socket, a `Preview` told what a build would tell it. The stream gives the state at
once, then each new version as it comes; it is only for this server's own pages, carries
the same security headers as every answer, and ends when the server stops.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from handout.content.errors import UserError
from handout.editor.app import make_app
from handout.editor.security import allowed_hosts
from handout.editor.site import Site
from handout.preview.live import EVENTS, Preview
from handout.preview.server import Server


@pytest.fixture
def serving(content_copy: Path, tmp_path: Path) -> Iterator[tuple[Preview, int]]:
    preview = Preview(tmp_path / "out", "Test")
    site = Site(preview, content_copy, tmp_path / "out")
    server = Server(lambda port: make_app(site, allowed_hosts(port)), 0)
    try:
        yield preview, server.port
    finally:
        preview.close()
        server.stop()


OPENED: list[http.client.HTTPConnection] = []


@pytest.fixture(autouse=True)
def closed_after() -> Iterator[None]:
    """Every connection a test opened is closed after it."""
    yield
    while OPENED:
        OPENED.pop().close()


def connect(port: int, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    OPENED.append(connection)
    connection.request("GET", EVENTS, headers=headers or {})
    return connection.getresponse()


def next_state(answer: http.client.HTTPResponse) -> dict:
    """The next event's data (comment lines, which keep the connection alive, skipped)."""
    data = []
    while True:
        line = answer.readline().decode("utf-8")
        assert line, "the stream ended"
        if line.startswith("data: "):
            data.append(line.removeprefix("data: ").rstrip("\n"))
        elif line == "\n" and data:
            return json.loads("".join(data))


def test_the_stream_delivers_each_new_version(serving: tuple[Preview, int]) -> None:
    preview, port = serving
    answer = connect(port)
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    assert answer.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert answer.headers.get("Access-Control-Allow-Origin") is None
    first = next_state(answer)
    assert first["version"] == "starting" and not first["building"]

    preview.started()
    assert next_state(answer)["building"]
    preview.progress(1, 4)
    assert (state := next_state(answer))["done"] == 1 and state["total"] == 4
    preview.finished(UserError("the card does not fit"))
    state = next_state(answer)
    assert state["version"] not in ("starting", first["version"]) and not state["building"]

    # The server stops: the stream ends (a stopping uvicorn waits for open answers).
    preview.close()
    assert answer.read() == b""


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://example.com"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Host": "evil.example:80"},
    ],
)
def test_other_sites_get_no_news(serving: tuple[Preview, int], headers: dict[str, str]) -> None:
    _preview, port = serving
    answer = connect(port, headers)
    assert answer.status == 403
    assert "version" not in answer.read().decode()


def test_its_own_page_gets_the_news(serving: tuple[Preview, int]) -> None:
    _preview, port = serving
    here = {"Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}
    answer = connect(port, here)
    assert answer.status == 200
    assert next_state(answer)["version"] == "starting"
