"""What every page of the editor uses: the templates and `render`, the page of a content
mistake, the lookups that end a request with `Answer`, the guard on writes, and a save
written and kept in the history. The page families (records, rechecks, history,
translations, layouts) each have a module beside this one.
"""

from __future__ import annotations

import contextlib
import functools
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive

from handout.content.characters import right_to_left
from handout.content.errors import ContentErrors, UserError
from handout.content.files import Changed, WriteFailed, write
from handout.content.lock import content_lock
from handout.editor import commits, forms, history, records
from handout.editor.security import (
    MAX_FORM_BYTES,
    MAX_FORM_FIELDS,
    origin_refusal,
    write_refusal,
)

if TYPE_CHECKING:
    from handout.content.read import Content
    from handout.editor.site import Site

TEMPLATES = Path(__file__).parent.parent / "templates"
WHO_COOKIE = "handout_editor_name"
KEPT_VERSIONS = 200


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        widgets=forms.widgets, item_count=forms.item_count, folded=forms.folded, row_id=row_id
    )
    env.tests["startingwith"] = lambda text, start: str(text).startswith(start)
    env.filters["singular"] = lambda word: word[:-1] if word.endswith("s") else word
    env.filters["direction"] = lambda code: "rtl" if right_to_left(code) else "ltr"
    return env


def render(site: Site, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("errors", {})
    context.setdefault("problems", [])
    context.setdefault("conflict", "")
    context.setdefault("typed", {})
    context.setdefault("notices", site.take_notices())
    context.setdefault("who", "")
    css, script = inline("editor.css"), inline("editor.js")
    page = (
        environment()
        .get_template(template)
        .render(title=site.preview.title, css=css, editor_script=script, **context)
    )
    return HTMLResponse(page, status_code, headers={"Cache-Control": "no-store"})


def inline(name: str) -> Markup:
    """A packaged script or stylesheet of the editor, to inline into a page exactly as it
    is written (the pages' Content Security Policy allows it by the hash of that text)."""
    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))


def broken(site: Site, error: UserError) -> HTMLResponse:
    """The content has mistakes: the editor shows them, like the preview does."""
    problems = error.problems if isinstance(error, ContentErrors) else [str(error)]
    return render(
        site, "broken.html", 200, heading="The content has a mistake", section="records",
        problems=problems,
    )  # fmt: skip


def remember(site: Site, text: str) -> str:
    """Keep the text a form was made from (by its hash), to show a conflict later."""
    versions: OrderedDict[str, str] = site.versions
    key = records.digest(text)
    versions[key] = text
    versions.move_to_end(key)
    while len(versions) > KEPT_VERSIONS:
        versions.popitem(last=False)
    return key


Handler = Callable[[Request], Awaitable[Response]]
FormHandler = Callable[[Request, FormData], Awaitable[Response]]


class Answer(Exception):
    """Raised by a lookup that ends the request with `response` (the page of a content
    mistake, a 404 for an unknown record), so that a page reads its content and record in
    one line; `answering` turns it back into the response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def answering(handler: Handler) -> Handler:
    """A route's handler, answering with the response of any `Answer` it raises."""

    @functools.wraps(handler)
    async def answered(request: Request) -> Response:
        try:
            return await handler(request)
        except Answer as answer:
            return answer.response
        except UserError as error:  # a write that failed or was stopped: nothing was saved
            status = 409 if isinstance(error, Changed) else 500
            return HTMLResponse(f"<p>Not saved: {escape(str(error))}.</p>", status_code=status)

    return answered


NO_NAME = "Write your name first: the history keeps it with each change"


def signed(form: FormData) -> bool:
    """Whether the form names who makes the change (`_who`, or a reviewer's name)."""
    return any(
        isinstance(form.get(key), str) and str(form.get(key)).strip()
        for key in ("_who", "reviewer")
    )


def guarded(site: Site, name_on_page: bool = False) -> Callable[[FormHandler], Handler]:
    """Decorate a POST handler: it runs with the posted form only for a write from our own
    page (its token, same origin); any other write is refused with 403 and changes nothing.

    Every change is signed: a form without a name is refused before anything is written
    (the page's script asks first; this is for a browser without scripts). With
    `name_on_page` the handler says so beside the field itself, keeping what was typed.

    The Host (checked by `HostCheck` before any route) and the Origin are checked before a
    byte of the body is read, and the body is read only up to `MAX_FORM_BYTES`: another
    site's page, or anything else, cannot make the editor parse a form of a gigabyte."""

    def decorate(handler: FormHandler) -> Handler:
        @functools.wraps(handler)
        async def checked(request: Request) -> Response:
            why = origin_refusal(request.headers)
            if why:
                return HTMLResponse(f"Refused: {why}.", status_code=403)
            body = await capped_body(request)
            if body is None:
                return HTMLResponse(
                    f"Refused: the form is larger than {MAX_FORM_BYTES // 1024} KiB, more than "
                    "any of the editor's forms.",
                    status_code=413,
                )
            request = Request(request.scope, _replay(body))
            try:
                form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
            except (HTTPException, MultiPartException) as error:
                detail = error.detail if isinstance(error, HTTPException) else error.message
                return HTMLResponse(f"Refused: {detail}.", status_code=400)
            token = form.get("_token")
            token = token if isinstance(token, str) else None
            why = write_refusal(request.headers, token, site.token)
            if why:
                return HTMLResponse(f"Refused: {why}.", status_code=403)
            for key in ("_who", "reviewer"):
                name = form.get(key)
                why = commits.name_problem(name) if isinstance(name, str) else None
                if why:
                    return refused(site, "Your name cannot be used", f"{why}.", 422)
            if not name_on_page and not signed(form):
                return refused(site, "Not saved: your name is missing", f"{NO_NAME}.", 422)
            why = commits.refusal(site.content) if site.commit else None
            if why:
                return refused(site, "Not saved: git is busy", f"Not saved: {why}.", 409)
            return await handler(request, form)

        return checked

    return decorate


def refused(site: Site, heading: str, message: str, status_code: int) -> HTMLResponse:
    """The page of a write refused before anything was written."""
    return render(site, "refused.html", status_code, heading=heading, message=message, section="")


async def capped_body(request: Request) -> bytes | None:
    """The request's body, or None as soon as it is (or says it is) over MAX_FORM_BYTES."""
    length = request.headers.get("content-length", "").strip()
    if length and (not length.isdigit() or int(length) > MAX_FORM_BYTES):
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    return bytes(body)


def _replay(body: bytes) -> Receive:
    """A `receive` that hands on a body already read (and then, as a server does, says the
    client is gone)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def remembering_who(response: Response, who: str) -> Response:
    """Keep the editor's name in a cookie, so the next form is filled in with it."""
    if who:
        response.set_cookie(WHO_COOKIE, quote(who), samesite="strict", httponly=True)
    return response


def row_id(english: str) -> str:
    """The id of a text's row on the translations page (a global of the templates too,
    hence here rather than with that page)."""
    return "t-" + records.digest(english)[:12]


def content(site: Site) -> Content:
    """The content as the command line loads it; a mistake in it answers the request
    with the page that shows it."""
    from handout.content.load import load

    try:
        return load(site.content)
    except UserError as error:
        raise Answer(broken(site, error)) from error


def find_record(site: Site, request: Request) -> tuple[Content, records.Place]:
    """The content and the record or law the request's path names (a 404 if none)."""
    loaded = content(site)
    kind, record_id = request.path_params["kind"], request.path_params["id"]
    place = records.place_of(loaded, kind, record_id)
    if place is None:
        raise Answer(HTMLResponse("No such record.", status_code=404))
    return loaded, place


LOCK_WAIT = 30.0
"""Seconds a save waits for another writer of the content folder (which holds it for a
moment: from its last check to its rename) before it gives up, saying nothing was saved."""


def locked(site: Site) -> contextlib.AbstractContextManager[None]:
    """The content folder's lock, as the editor's writes hold it (see `save`)."""
    return content_lock(site.content, lambda line: print(line, flush=True), LOCK_WAIT)


def save(
    site: Site,
    path: Path,
    file: str,
    before: str | None,
    after: str,
    who: str,
    what: str | Callable[[], str],
) -> None:
    """Write the content file `path` (`file` inside the content folder), if it still holds
    `before`, the text the change was made from (None: it must not exist yet), and keep the
    save in the history (with `serve --commit`, as a git commit too).

    The checks of a save take a second or more; a change another process made to the file
    meanwhile is found here: the content folder is locked (every writer holds that lock from
    its last check to its rename) and the file compared again just before the rename. Then
    nothing is written and `Changed` is raised, for the page to show their change. A save
    that cannot be kept in the history is taken back (a save nobody can undo, or see, is not
    made). The builder of `serve` is told as soon as the file is written (preview/changes.py;
    its file watcher would see the save a moment later), before the history is written:
    `what` may be a function that says it then (comparing the texts takes a while)."""
    with locked(site):
        write(path, after, was=before)
        site.preview.changes.saved([path])
        try:
            log(site, who, what if isinstance(what, str) else what(), file, before or "", after)
        except WriteFailed:
            if before is None:
                path.unlink()
            else:
                write(path, before, was=after)
            raise


def log(site: Site, who: str, what: str, file: str, before: str, after: str) -> None:
    """Keep a save in the history (and, with `serve --commit`, as a git commit)."""
    history.record(site.out, who, what, file, before, after)
    committed(site, file, who, what)


def committed(site: Site, file: str, who: str, what: str) -> None:
    """With `serve --commit`, commit a saved file; a commit that failed is said on the next
    page shown (and in the terminal), not only in the terminal."""
    if not site.commit:
        return
    why = commits.commit(site.content, file, who, what)
    if why:
        notice = f"{file} was saved, but not committed to git: {why}"
        print(f"warning: {notice}", flush=True)
        site.notices.append(notice)
