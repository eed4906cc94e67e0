"""Issue 21, item 14: a write is judged on its headers before its body is read, and its
body is read only up to the limit. Against the real server (uvicorn on 127.0.0.1), with
raw sockets: a write from another origin, or one saying it is 100 MB, is answered at once
without a byte of its body sent; a body streamed past the limit, or a form of too many
fields, is refused; and nothing is written."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from handout.editor.app import Site, make_app
from handout.editor.security import MAX_FORM_BYTES, allowed_hosts
from handout.preview.live import Preview
from handout.preview.server import Server

POLICE = "/edit/resource/new-milford-police"
WAIT_S = 20
"""How long a test waits for an answer that should come at once: a bound on a failure,
never a pause the test needs to pass."""


@pytest.fixture
def server(content_copy: Path, tmp_path: Path) -> Iterator[tuple[Server, Site]]:
    out = tmp_path / "out"
    out.mkdir()
    site = Site(Preview(out, "Test"), content_copy, out)
    running = Server(lambda port: make_app(site, allowed_hosts(port)), 0)
    try:
        yield running, site
    finally:
        running.stop()


def ask(port: int, head: str, body: bytes = b"", chunks: list[bytes] | None = None) -> str:
    """Send a request's head (and body, or chunks) and read the status line of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT_S) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        for chunk in chunks or []:
            try:
                connection.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            except OSError:  # the server answered and closed: it read no further
                break
        answer = b""
        while b"\r\n" not in answer:
            piece = connection.recv(4096)
            if not piece:
                break
            answer += piece
    return answer.split(b"\r\n", 1)[0].decode()


def head(port: int, origin: str, **headers: str) -> str:
    lines = [
        f"POST {POLICE} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Origin: {origin}",
        "Content-Type: application/x-www-form-urlencoded",
        *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()),
    ]
    return "\n".join(lines) + "\n"


def test_another_origin_is_refused_before_the_body(server: tuple[Server, Site]) -> None:
    running, site = server
    before = (site.content / "resources" / "local.yaml").read_bytes()
    status = ask(
        running.port, head(running.port, "http://evil.example", Content_Length="100000000")
    )
    assert status.startswith("HTTP/1.1 403"), status
    assert (site.content / "resources" / "local.yaml").read_bytes() == before


def test_a_body_said_to_be_too_large_is_refused_before_it_is_read(
    server: tuple[Server, Site],
) -> None:
    running, _site = server
    here = f"http://127.0.0.1:{running.port}"
    status = ask(running.port, head(running.port, here, Content_Length="100000000"))
    assert status.startswith("HTTP/1.1 413"), status


def test_a_body_streamed_past_the_limit_is_refused(server: tuple[Server, Site]) -> None:
    """No length given (chunked): read up to the limit, then refused."""
    running, _site = server
    here = f"http://127.0.0.1:{running.port}"
    chunks = [b"a=" + b"x" * 65534] * (MAX_FORM_BYTES // 65536 + 4)
    status = ask(running.port, head(running.port, here, Transfer_Encoding="chunked"), chunks=chunks)
    assert status.startswith("HTTP/1.1 413"), status


def test_a_form_of_too_many_fields_is_refused(server: tuple[Server, Site]) -> None:
    running, site = server
    before = (site.content / "resources" / "local.yaml").read_bytes()
    here = f"http://127.0.0.1:{running.port}"
    body = "&".join(f"f{n}=x" for n in range(5000)).encode()
    status = ask(running.port, head(running.port, here, Content_Length=str(len(body))), body)
    assert status.startswith("HTTP/1.1 400"), status
    assert (site.content / "resources" / "local.yaml").read_bytes() == before
