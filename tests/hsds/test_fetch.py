"""Issue 21, items 8, 12, 13 and 21: a live HSDS API that is hostile (or broken in ways
that look hostile), served for real on 127.0.0.1. A gzip bomb is refused after 50 MB of
decoded bytes, with the memory to show for it; a Content-Length over the limit is refused
before the body; `--timeout` is a deadline for each request and `--time-limit` one for the
whole import, against an answer trickling in; a redirect loop, `total_pages: 1e400` and
`--timeout inf` end with a message (exit 1), never a traceback; a redirect to another host
is named."""

from __future__ import annotations

import contextlib
import gzip
import json
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT, assert_clean_failure, run_build
from tests.hsds.test_hsds import JSON_SET, SOURCE, records, service_pages, snapshot

BOMB_BYTES = 256 * 2**20
"""What the bomb inflates to: 256 MiB of zeros from about 1 MiB on the wire."""


@contextlib.contextmanager
def hostile_api() -> Iterator[str]:
    """A server on 127.0.0.1 with one path per attack; `stopping` ends the slow answers."""
    stopping = threading.Event()
    bomb = zlib.compressobj(1, zlib.DEFLATED, 31)
    zeros = bytes(2**20)
    bomb_body = b"".join(bomb.compress(zeros) for _ in range(BOMB_BYTES // 2**20)) + bomb.flush()
    pages = service_pages(2)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            params = dict(item.split("=", 1) for item in query.split("&") if "=" in item)
            number = int(params.get("page", "1"))
            port = self.server.server_address[1]
            if path == "/bomb/services":
                return self.answer(bomb_body, {"Content-Encoding": "gzip"})
            if path == "/huge/services":  # says 60 MB, then sends nothing
                self.send_response(200)
                self.send_header("Content-Length", str(60 * 10**6))
                self.end_headers()
                stopping.wait(30)
                return None
            if path in ("/trickle/services", "/slow/services"):
                body = json.dumps(pages[min(number, len(pages)) - 1]).encode()
                if path == "/trickle/services":
                    body = b" " * 20 + body  # 20 bytes at 2 a second, then the rest
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                step = 1 if path == "/trickle/services" else len(body) // 4 + 1
                for start in range(0, len(body), step):
                    with contextlib.suppress(OSError):
                        self.wfile.write(body[start : start + step])
                        self.wfile.flush()
                    if start + step < len(body) and stopping.wait(0.5):
                        return None
                return None
            if path in ("/loop/services", "/loop2/services"):
                other = "/loop2/services" if path == "/loop/services" else "/loop/services"
                return self.redirect(f"{other}?{query}")
            if path == "/moved/services":
                return self.redirect(f"http://localhost:{port}/api/services?{query}")
            if path == "/ftp/services":
                return self.redirect("ftp://127.0.0.1/services")
            if path == "/inf/services":
                return self.answer(b'{"total_pages": 1e400, "contents": []}')
            if path == "/digits/services":
                return self.answer(b'{"total_pages": 1' + b"0" * 5000 + b', "contents": []}')
            if path == "/api/services" and 1 <= number <= len(pages):
                return self.answer(json.dumps(pages[number - 1]).encode())
            return self.answer(b'{"error": "not found"}', status=404)

        def answer(self, body: bytes, headers: dict | None = None, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)

        def redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stopping.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    with hostile_api() as url:
        yield url


def import_url(content: Path, url: str, *options: str) -> subprocess.CompletedProcess[str]:
    return run_build("import-hsds", url, "--region", "danbury", "--content", content, *options)


def peak_memory_mb(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run `python build.py ARGS` and measure its peak memory (maximum resident set size),
    from a process of its own that has no other child."""
    measure = (
        "import resource, subprocess, sys\n"
        "result = subprocess.run(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(result.returncode)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, str(ROOT / "build.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    return result, peak_kib / 1024


def test_a_gzip_bomb_is_stopped_at_the_limit_of_decoded_bytes(content_copy: Path, api: str) -> None:
    """About 1 MiB on the wire inflating to 256 MiB: refused once 50 MB are decoded, and
    the import never holds much more than that (it used to hold all of it, twice)."""
    assert len(gzip.decompress(gzip.compress(b"x"))) == 1  # the test's own gzip works
    before = snapshot(content_copy)
    result, peak = peak_memory_mb(
        "import-hsds", f"{api}/bomb/services", "--region", "danbury", "--content", content_copy
    )
    assert_clean_failure(result, "page 1 is larger than 50 MB (decoded)")
    assert peak < 250, f"peak memory {peak:.0f} MB"
    assert snapshot(content_copy) == before


def test_a_content_length_over_the_limit_is_refused_before_the_body(
    content_copy: Path, api: str
) -> None:
    """The server says 60 MB and sends nothing: refused at once, not after a timeout."""
    started = time.monotonic()
    result = import_url(content_copy, f"{api}/huge/services", "--timeout", "20")
    assert_clean_failure(result, "page 1 is larger than 50 MB")
    assert time.monotonic() - started < 15


def test_the_timeout_is_a_deadline_for_each_request(content_copy: Path, api: str) -> None:
    """Two bytes a second keep every read under 1 second: the request is still given up
    at 1 second, three times, and the import ends (it used to read on to the end)."""
    started = time.monotonic()
    result = import_url(content_copy, f"{api}/trickle/services", "--timeout", "1")
    assert_clean_failure(result, "page 1: no complete answer within 1 seconds, 3 times")
    assert time.monotonic() - started < 9  # 3 tries of 1 s, waits of 1 and 2 s, start-up


def test_the_time_limit_is_a_deadline_for_the_whole_import(content_copy: Path, api: str) -> None:
    """Each page answers in under 2 seconds (within --timeout 5), but the pages together
    take longer than --time-limit 2."""
    started = time.monotonic()
    result = import_url(content_copy, f"{api}/slow/services", "--timeout", "5", "--time-limit", "2")
    assert_clean_failure(result, "the import took longer than --time-limit 2 seconds")
    assert time.monotonic() - started < 8


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/loop/services", "the server redirects in a loop"),
        ("/ftp/services", "which is not an http(s) address"),
        ("/inf/services", "the API says it has `inf` pages, which is not a number of pages"),
        ("/digits/services", "page 1 is not JSON"),
    ],
)
def test_hostile_answers_end_with_a_message(
    content_copy: Path, api: str, path: str, message: str
) -> None:
    before = snapshot(content_copy)
    result = import_url(content_copy, f"{api}{path}")
    assert_clean_failure(result, message)
    assert snapshot(content_copy) == before


@pytest.mark.parametrize(
    "options",
    [
        ("--timeout", "inf"),
        ("--timeout", "1e300"),
        ("--timeout", "nan"),
        ("--timeout", "0"),
        ("--time-limit", "inf"),
        ("--time-limit", "-5"),
    ],
)
def test_hostile_options_are_command_line_mistakes(
    content_copy: Path, api: str, options: tuple[str, ...]
) -> None:
    """Exit 2 (a wrong command line), one message for every kind of slip, nothing fetched."""
    before = snapshot(content_copy)
    result = import_url(content_copy, f"{api}/api/services", *options)
    assert result.returncode == 2, result.stderr
    assert f"argument {options[0]}: `{options[1]}` is not a number of seconds" in result.stderr
    assert "above 0 and at most 3600, like 30" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(content_copy) == before


def test_a_redirect_to_another_host_is_named(content_copy: Path, api: str) -> None:
    """127.0.0.1 sends the import to localhost: the import goes on, and says so."""
    port = api.rsplit(":", 1)[1]
    result = import_url(content_copy, f"{api}/moved/services", "--source", SOURCE)
    assert result.returncode == 0, result.stderr
    named = f"redirected to another host, http://localhost:{port}: pages were read from there"
    assert named in result.stdout and named in result.stderr
    assert len(records(content_copy)) == 3


def test_the_import_leaves_out_what_the_build_would_refuse(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 21, items 6, 10 and 11: a directory's text holding a right-to-left override,
    a character no shipped font has, a NUL, or an editors' word is reported with its
    object and field and left out; the rest is imported, and the next build passes."""
    organizations = json.loads(JSON_SET.read_text())
    shelter, pantry, _camp = organizations[0]["services"]
    shelter["description"] = "Emergency shelter; call the \u202eecilop\u202c first."
    pantry["name"] = "Food Pantry \u260e"
    organizations[1]["services"][0]["description"] = "Advice for renters (fact-check pending)."
    shelter["name"] = "Family\u0000 Shelter"
    dataset = tmp_path / "hostile.json"
    dataset.write_text(json.dumps(organizations))
    result = run_build(
        "import-hsds", dataset, "--region", "danbury", "--content", content_copy,
        "--source", SOURCE,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Imported 0 records" not in out
    for label, field, why in [
        ("Family", "description", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("Food Pantry", "name", "U+260E, BLACK TELEPHONE"),
        ("Tenant Legal Help", "description", "editors' word `fact-check`"),
        ("Family", "name", "U+0000"),
    ]:
        line = next((line for line in out.splitlines() if f"({label}" in line and why in line), "")
        assert f"`{field}`" in line and "not imported" in line, out
    assert [record["name"] for record in records(content_copy)] == ["Hilltop Crisis Line"]
    check = run_build("--check", "--content", content_copy)
    assert check.returncode == 0, check.stderr
