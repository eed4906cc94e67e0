"""`serve` answers only requests addressed to itself: a page on another site that points
a name of its own at 127.0.0.1 (DNS rebinding) gets nothing, not even an error page."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    out = tmp_path_factory.mktemp("serve-host")
    process = subprocess.Popen(
        [
            *[sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--out", str(out)],
            *["--region", "danbury", "--lang", "en", "--material", "discreet-card"],
            *["--jobs", "1"],
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not (
            found := [m for line in lines if (m := re.search(r"127\.0\.0\.1:(\d+)/", line))]
        ):
            assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.05)
        yield int(found[0].group(1))
    finally:
        process.terminate()
        process.wait(timeout=120)
        reader.join(timeout=10)
        process.stdout.close()


def status(port: int, host: str | None, path: str = "/", method: str = "GET") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"]
)
def test_its_own_addresses_are_served(port: int, host: str) -> None:
    assert status(port, host.format(port=port)) == 200
    assert status(port, host.format(port=port), "/__handout__/status") == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "evil.example",
        "127.0.0.1",
        "127.0.0.1:1",
        "localhost.evil.example:{port}",
        "127.0.0.1:{port}@evil.example",
        "",
        None,
    ],
)
@pytest.mark.parametrize("path", ["/", "/__handout__/status", "/index.html", "/nothing-here"])
def test_other_hosts_are_refused(port: int, host: str | None, path: str) -> None:
    wanted = None if host is None else host.format(port=port)
    # Without any Host header the HTTP/1.1 server itself answers 400 Bad Request (the
    # header is required); either way nothing of the preview is sent.
    refused = {400, 403} if host is None else {403}
    assert status(port, wanted, path) in refused
    assert status(port, wanted, path, "HEAD") in refused
