"""Fetching a data set from a live HSDS API, page by page, into files read like any other.

Directories publish HSDS through the HSDS API: `/services` (or `/organizations`) with `page`
and `per_page`, each page an object with `contents`, `page_number` and `total_pages`. The
pages are saved as JSON files in a scratch folder and read as the pages of one data set, so
a URL import is checked, mapped, reported and written exactly as a file import.

Networks fail: each request is tried again (three tries in all, waiting a little longer
each time) on a timeout, a dropped connection or a server error (5xx, 429). A page that
still fails stops the import, naming the page and why; nothing is written.

A server can also be hostile, or broken in ways that look hostile, so nothing it sends is
trusted to be small or quick:
- `--timeout` is a deadline for each request, redirects and the whole body included (an
  answer trickling one byte a second is given up at it), and `--time-limit` one for the
  whole import.
- A body is read in pieces and decompressed here, counting the decoded bytes: a page over
  50 MB (a gzip "bomb" of 1 MiB that inflates to gigabytes, or a Content-Length saying so)
  is refused as soon as that is known.
- Redirects are followed by hand, at most a few, and one to another host is named in the
  report; a loop, or one to something that is not http(s), stops the import.
"""

from __future__ import annotations

import json
import math
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx

from handout.content.errors import UserError, excerpt
from handout.content.files import write

TRIES = 3
MAX_PAGES = 10_000
MAX_PAGE_BYTES = 50 * 1024 * 1024
"""No page of a service directory is this large; a response that is, is not one."""
PER_PAGE = 100
MAX_REDIRECTS = 5
MAX_SECONDS = 3600.0
"""The longest `--timeout` or `--time-limit` taken: past an hour, a number is a mistake."""
CHUNK = 64 * 1024
HEADERS = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
"""Only encodings decoded here, piece by piece (see `_Inflate`)."""

T = TypeVar("T")


@dataclass
class Fetched:
    """The pages saved, and what the report must say about where they came from."""

    files: list[Path]
    notes: list[str] = field(default_factory=list)


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def endpoint(url: str) -> str:
    """The list to page through: the URL itself if it names `/services` or `/organizations`
    (or any other path with a query), else the API's `/services`."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith(("/services", "/organizations")) or parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, f"{path}/services", "", ""))


def seconds(value: float, option: str) -> float:
    """`value` as a number of seconds for `option`; anything but a finite number above 0
    and at most an hour (`inf`, `nan`, `1e300`, `0`) is a mistake, said as one."""
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise UserError(
            f"{option} {value:g}: give a number of seconds above 0 and at most "
            f"{MAX_SECONDS:g}, e.g. 30"
        )
    return value


class _Clock:
    """The deadlines of one import: each request's, and the whole import's."""

    def __init__(self, timeout: float, time_limit: float) -> None:
        self.timeout, self.time_limit = timeout, time_limit
        self.end = time.monotonic() + time_limit

    def request_deadline(self) -> float:
        self.check()
        return min(time.monotonic() + self.timeout, self.end)

    def check(self) -> None:
        if time.monotonic() >= self.end:
            raise UserError(
                f"the import took longer than --time-limit {self.time_limit:g} seconds; nothing "
                "was imported. Give it more time, or save the pages as files and import those"
            )

    def pause(self, delay: float, wait: Callable[[float], None]) -> None:
        wait(max(0.0, min(delay, self.end - time.monotonic())))
        self.check()


def fetch_pages(
    url: str,
    folder: Path,
    *,
    timeout: float = 30.0,
    time_limit: float = 1800.0,
    progress: bool | None = None,
    wait: Callable[[float], None] = time.sleep,
) -> Fetched:
    """Every page of the API's list at `url`, saved as `page-<n>.json` in `folder`."""
    clock = _Clock(seconds(timeout, "--timeout"), seconds(time_limit, "--time-limit"))
    if progress is None:
        progress = sys.stderr.isatty()
    base = endpoint(url)
    fetched = Fetched([])
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=HEADERS) as client:
        first = _page(client, base, 1, wait, clock, fetched)
        total = _total_pages(first, base)
        fetched.files.append(_save(folder, 1, first))
        bar = _bar(total, progress)
        for number in range(2, total + 1):
            fetched.files.append(
                _save(folder, number, _page(client, base, number, wait, clock, fetched))
            )
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
    return fetched


def _bar(total: int, progress: bool) -> Any:
    if not progress or total < 2:
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="page", desc="HSDS API", file=sys.stderr)
    bar.update(1)
    return bar


def _total_pages(data: object, url: str) -> int:
    if not isinstance(data, dict):
        return 1
    if "contents" not in data and ("openapi_url" in data or "profile" in data):
        raise UserError(
            f"{url}: this is an HSDS API's index document, not a list of services. Give the "
            "API's base URL or its /services URL, e.g. https://api.example.org/services"
        )
    given = data.get("total_pages", 1)
    if isinstance(given, float) and not given.is_integer():  # 1e400 is read as infinity
        raise UserError(
            f"{url}: the API says it has `{excerpt(given)}` pages, which is not a number of "
            "pages; is this an HSDS API?"
        )
    try:
        total = int(given)
    except (TypeError, ValueError):
        total = 1
    if total > MAX_PAGES:
        raise UserError(
            f"{url}: the API says it has {excerpt(total)} pages; more than {MAX_PAGES} is not "
            "a service directory. Ask for more per page (add ?per_page=1000 to the URL)"
        )
    return max(total, 1)


@dataclass
class _Answer:
    status: int
    reason: str
    url: str
    body: bytes
    hops: list[httpx.URL]


class _Late(Exception):
    """The request's deadline passed before it was answered in full."""


def _page(
    client: httpx.Client,
    base: str,
    number: int,
    wait: Callable[[float], None],
    clock: _Clock,
    fetched: Fetched,
) -> object:
    """One page, tried up to TRIES times; its JSON."""
    parts = urlsplit(base)
    params = {} if parts.query else {"page": number, "per_page": PER_PAGE}
    if parts.query and number > 1:
        params = {"page": number}
    reason = ""
    for attempt in range(TRIES):
        if attempt:
            clock.pause(0.5 * 2**attempt, wait)
        deadline = clock.request_deadline()
        try:
            answer = _by(deadline, lambda cancel: _get(client, base, params, number, cancel))
        except (_Late, httpx.TimeoutException):
            clock.check()
            reason = f"no complete answer within {clock.timeout:g} seconds"
            continue
        except httpx.TransportError as error:
            reason = f"could not connect ({error})"
            continue
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as error:
            raise UserError(f"{base}: page {number}: {error}") from None
        _note_hosts(base, answer.hops, fetched)
        if answer.status == 429 or answer.status >= 500:
            reason = f"the server answered {answer.status} {answer.reason}"
            continue
        if answer.status != 200:
            raise UserError(
                f"{answer.url}: page {number}: the server answered {answer.status} "
                f"{answer.reason}; check the URL"
            )
        return _json(answer, number)
    raise UserError(
        f"{base}: page {number}: {reason}, {TRIES} times; nothing was imported. Try again "
        "later, or save the pages as files and import those"
    )


def _json(answer: _Answer, number: int) -> object:
    try:
        return json.loads(answer.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:  # ValueError: an int of 5000 digits too
        raise UserError(
            f"{answer.url}: page {number} is not JSON ({excerpt(str(error), 80)}); is this an "
            "HSDS API?"
        ) from None
    except RecursionError:
        raise UserError(
            f"{answer.url}: page {number} is nested too deeply to be HSDS; is this an HSDS API?"
        ) from None


def _by(deadline: float, work: Callable[[threading.Event], T]) -> T:
    """`work(cancel)` run in a thread of its own and given up at `deadline` (a monotonic
    time): a socket timeout bounds each read, not a request, so only this bounds the whole
    request. The thread given up on stops at its next read (it is told by `cancel`), or at
    its socket timeout."""
    done, cancel = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work(cancel)
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="hsds-request", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        cancel.set()
        raise _Late
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _get(
    client: httpx.Client, base: str, params: dict, number: int, cancel: threading.Event
) -> _Answer:
    """GET `base` with `params`, following at most MAX_REDIRECTS redirects by hand."""
    visited = [httpx.URL(base, params=params)]
    for _hop in range(MAX_REDIRECTS + 1):
        with client.stream("GET", visited[-1]) as response:
            location = response.headers.get("location")
            if response.is_redirect and location:
                visited.append(_redirect(visited, location, base, number))
                continue
            status, reason = response.status_code, response.reason_phrase
            body = _body(response, number, cancel) if status == 200 else b""
            return _Answer(status, reason, str(response.url), body, visited[1:])
    raise UserError(
        f"{base}: page {number}: more than {MAX_REDIRECTS} redirects "
        f"({' -> '.join(str(url) for url in visited)}); nothing was imported"
    )


def _redirect(visited: list[httpx.URL], location: str, base: str, number: int) -> httpx.URL:
    """Where a redirect leads; a loop, or a place that is not http(s), stops the import."""
    try:
        target: httpx.URL | None = visited[-1].join(location)
    except httpx.InvalidURL:
        target = None
    if target is None or target.scheme not in ("http", "https") or not target.host:
        raise UserError(
            f"{base}: page {number}: the server redirects to `{excerpt(location, 80)}`, which is "
            "not an http(s) address; nothing was imported"
        )
    if target in visited:
        chain = " -> ".join(str(url) for url in [*visited, target])
        raise UserError(
            f"{base}: page {number}: the server redirects in a loop ({chain}); nothing was imported"
        )
    return target


def _note_hosts(base: str, hops: list[httpx.URL], fetched: Fetched) -> None:
    """Name each other host a redirect led to, once: the pages were read from there."""
    start = httpx.URL(base)
    for hop in hops:
        if (hop.scheme, hop.host, hop.port) == (start.scheme, start.host, start.port):
            continue
        where = f"{hop.scheme}://{hop.netloc.decode('ascii', 'replace')}"
        note = (
            f"The API at {start.scheme}://{start.netloc.decode('ascii', 'replace')} redirected "
            f"to another host, {where}: pages were read from there"
            + (" over plain http (not encrypted)" if hop.scheme == "http" else "")
            + "."
        )
        if note not in fetched.notes:
            fetched.notes.append(note)
            print(f"note: {note}", file=sys.stderr, flush=True)


def _body(response: httpx.Response, number: int, cancel: threading.Event) -> bytes:
    """The decoded body, read in pieces and counted as it is decoded: refused as soon as
    it is over MAX_PAGE_BYTES, or said to be (Content-Length), or when `cancel` is set."""
    too_large = UserError(
        f"{response.url}: page {number} is larger than {MAX_PAGE_BYTES // 2**20} MB (decoded); "
        "a page of a service directory is never that large, so this is not one. Nothing was "
        "imported"
    )
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > MAX_PAGE_BYTES:
        raise too_large
    inflate = _Inflate.of(response.headers.get("content-encoding", ""), response, number)
    body = bytearray()
    try:
        for raw in response.iter_raw(CHUNK):
            if cancel.is_set():
                raise _Late
            body += inflate(raw, MAX_PAGE_BYTES + 1 - len(body))
            if len(body) > MAX_PAGE_BYTES:
                raise too_large
    except zlib.error as error:
        raise UserError(
            f"{response.url}: page {number} is not validly compressed ({error}); is this an "
            "HSDS API?"
        ) from None
    return bytes(body)


class _Inflate:
    """Decompresses a body piece by piece, never giving more than asked for at once."""

    def __init__(self, wbits: int | None) -> None:
        self.wbits = wbits
        self.stream = zlib.decompressobj(wbits) if wbits is not None else None

    @classmethod
    def of(cls, encoding: str, response: httpx.Response, number: int) -> _Inflate:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if not codings:
            return cls(None)
        if codings in (["gzip"], ["x-gzip"], ["deflate"]):
            return cls(47)  # zlib or gzip, told by the header
        raise UserError(
            f"{response.url}: page {number} is compressed as `{excerpt(encoding)}`, which the "
            "import does not read (it asks for gzip or deflate); is this an HSDS API?"
        )

    def __call__(self, data: bytes, room: int) -> bytes:
        """At most `room` decoded bytes of `data` (exactly `room` when there is more)."""
        if self.stream is None or self.wbits is None:
            return data[:room]
        out = bytearray()
        while data and len(out) < room:
            out += self.stream.decompress(data, room - len(out))
            if self.stream.eof:  # gzip allows members one after another
                data = self.stream.unused_data
                self.stream = zlib.decompressobj(self.wbits)
            else:
                data = self.stream.unconsumed_tail
        return bytes(out)


def _save(folder: Path, number: int, data: object) -> Path:
    path = folder / f"page-{number}.json"
    write(path, json.dumps(data))
    return path
