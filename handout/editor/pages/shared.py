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
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from handout.content.errors import ContentErrors, UserError
from handout.content.files import Changed, WriteFailed, write
from handout.content.lock import content_lock
from handout.editor import forms, history, records
from handout.editor.security import write_refusal

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
    return env


def render(site: Site, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("errors", {})
    context.setdefault("problems", [])
    context.setdefault("conflict", "")
    context.setdefault("typed", {})
    css = Markup((TEMPLATES / "editor.css").read_text(encoding="utf-8"))
    page = environment().get_template(template).render(title=site.preview.title, css=css, **context)
    return HTMLResponse(page, status_code, headers={"Cache-Control": "no-store"})


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


def guarded(site: Site) -> Callable[[FormHandler], Handler]:
    """Decorate a POST handler: it runs with the posted form only for a write from our own
    page (its token, same origin); any other write is refused with 403 and changes nothing."""

    def decorate(handler: FormHandler) -> Handler:
        @functools.wraps(handler)
        async def checked(request: Request) -> Response:
            form = await request.form()
            token = form.get("_token")
            token = token if isinstance(token, str) else None
            why = write_refusal(request.headers, token, site.token)
            if why:
                return HTMLResponse(f"Refused: {why}.", status_code=403)
            return await handler(request, form)

        return checked

    return decorate


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
    site: Site, path: Path, file: str, before: str | None, after: str, who: str, what: str
) -> None:
    """Write the content file `path` (`file` inside the content folder), if it still holds
    `before`, the text the change was made from (None: it must not exist yet), and keep the
    save in the history (with `serve --commit`, as a git commit too).

    The checks of a save take a second or more; a change another process made to the file
    meanwhile is found here: the content folder is locked (every writer holds that lock from
    its last check to its rename) and the file compared again just before the rename. Then
    nothing is written and `Changed` is raised, for the page to show their change. A save
    that cannot be kept in the history is taken back (a save nobody can undo, or see, is not
    made). The watcher of `serve` (preview/rebuild.py) starts the build."""
    with locked(site):
        write(path, after, was=before)
        try:
            log(site, who, what, file, before or "", after)
        except WriteFailed:
            if before is None:
                path.unlink()
            else:
                write(path, before, was=after)
            raise


def log(site: Site, who: str, what: str, file: str, before: str, after: str) -> None:
    """Keep a save in the history (and, with `serve --commit`, as a git commit)."""
    history.record(site.out, who, what, file, before, after)
    if site.commit:
        history.commit(site.content, file, who, what)
