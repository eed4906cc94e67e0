"""The history page: every save made in the editor, newest first, each with an undo button.
The log and the undo itself are in `handout.editor.history`."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handout.editor import history
from handout.editor.pages.shared import (
    WHO_COOKIE,
    answering,
    committed,
    guarded,
    locked,
    remembering_who,
    render,
)

if TYPE_CHECKING:
    from handout.editor.site import Site


def routes(site: Site) -> list[BaseRoute]:
    """The history page and its undo, working on `site`."""

    writes = guarded(site)

    async def history_page(request: Request) -> Response:
        log = history.read_log(site.out)
        return render(
            site, "history.html", heading="History of changes", section="history",
            changes=log.changes[::-1], damaged=log.damaged, log_file=history.LOG,
            by_number={change.number: change for change in log.changes},
            blocked=history.why_not_undone(log.changes, site.content),
            token=site.token,
            who=unquote(request.cookies.get(WHO_COOKIE, "")),
            message=request.query_params.get("message", ""),
        )  # fmt: skip

    @writes
    async def undo(request: Request, form: FormData) -> Response:
        who = str(form.get("_who", "")).strip()
        number = int(request.path_params["number"])
        with locked(site):
            why = history.undo(site.out, site.content, number, who)
            if why is None:
                undo_line = history.changes(site.out)[0]  # the undo, logged last
                committed(site, undo_line.file, who, undo_line.what)
        message = f"Not undone: {why}." if why else "Undone. The preview is being rebuilt."
        return remembering_who(
            RedirectResponse(f"/edit/history?message={quote(message)}", status_code=303), who
        )

    return [
        Route("/edit/history", answering(history_page)),
        Route("/edit/history/{number:int}/undo", answering(undo), methods=["POST"]),
    ]
