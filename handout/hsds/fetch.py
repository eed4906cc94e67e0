"""Fetching a data set from a live HSDS API, page by page, into files read like any other.

Directories publish HSDS through the HSDS API: `/services` (or `/organizations`) with `page`
and `per_page`, each page an object with `contents`, `page_number` and `total_pages`. The
pages are saved as JSON files in a scratch folder and read as the pages of one data set, so
a URL import is checked, mapped, reported and written exactly as a file import.

Networks fail: each request has a timeout and is tried again (three tries in all, waiting a
little longer each time) on a timeout, a dropped connection or a server error (5xx, 429). A
page that still fails stops the import, naming the page and why; nothing is written.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from handout.content.errors import UserError
from handout.content.files import write

TRIES = 3
MAX_PAGES = 10_000
MAX_PAGE_BYTES = 50 * 1024 * 1024
"""No page of a service directory is this large; a response that is, is not one."""
PER_PAGE = 100


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


def fetch_pages(
    url: str,
    folder: Path,
    *,
    timeout: float = 30.0,
    progress: bool | None = None,
    wait: Callable[[float], None] = time.sleep,
) -> list[Path]:
    """Every page of the API's list at `url`, saved as `page-<n>.json` in `folder`."""
    if not timeout > 0:
        raise UserError(f"--timeout {timeout:g}: give a number of seconds above 0, e.g. 30")
    if progress is None:
        progress = sys.stderr.isatty()
    base = endpoint(url)
    files: list[Path] = []
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        first = _page(client, base, 1, wait)
        total = _total_pages(first, base)
        files.append(_save(folder, 1, first))
        bar = _bar(total, progress)
        for number in range(2, total + 1):
            files.append(_save(folder, number, _page(client, base, number, wait)))
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
    return files


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
    try:
        total = int(data.get("total_pages", 1))
    except (TypeError, ValueError):
        total = 1
    if total > MAX_PAGES:
        raise UserError(
            f"{url}: the API says it has {total} pages; more than {MAX_PAGES} is not a service "
            "directory. Ask for more per page (add ?per_page=1000 to the URL)"
        )
    return max(total, 1)


def _page(client: httpx.Client, base: str, number: int, wait: Callable[[float], None]) -> object:
    """One page, tried up to TRIES times; its JSON."""
    parts = urlsplit(base)
    params = {} if parts.query else {"page": number, "per_page": PER_PAGE}
    if parts.query and number > 1:
        params = {"page": number}
    reason = ""
    for attempt in range(TRIES):
        if attempt:
            wait(0.5 * 2**attempt)
        try:
            response = client.get(base, params=params)
        except httpx.TimeoutException:
            reason = f"no answer within {client.timeout.read:g} seconds"
            continue
        except httpx.TransportError as error:
            reason = f"could not connect ({error})"
            continue
        if response.status_code == 429 or response.status_code >= 500:
            reason = f"the server answered {response.status_code} {response.reason_phrase}"
            continue
        if response.status_code != 200:
            raise UserError(
                f"{response.url}: page {number}: the server answered {response.status_code} "
                f"{response.reason_phrase}; check the URL"
            )
        if len(response.content) > MAX_PAGE_BYTES:
            raise UserError(f"{response.url}: page {number} is larger than 50 MB; not a page")
        try:
            return json.loads(response.content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UserError(
                f"{response.url}: page {number} is not JSON ({error}); is this an HSDS API?"
            ) from None
        except RecursionError:
            raise UserError(
                f"{response.url}: page {number} is nested too deeply to be HSDS; is this an "
                "HSDS API?"
            ) from None
    raise UserError(
        f"{base}: page {number}: {reason}, {TRIES} times; nothing was imported. Try again "
        "later, or save the pages as files and import those"
    )


def _save(folder: Path, number: int, data: object) -> Path:
    path = folder / f"page-{number}.json"
    write(path, json.dumps(data))
    return path
