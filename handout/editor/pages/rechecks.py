"""The re-checks page: the facts due for re-checking (the verify sheet's list, oldest first),
each with its numbers to call, and a form to confirm a fact and say how it was checked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handout.content import phones, yaml_edit
from handout.content.models import CheckedHow
from handout.content.recheck import Due, due_facts
from handout.editor.pages.shared import (
    WHO_COOKIE,
    answering,
    content,
    find_record,
    guarded,
    remembering_who,
    render,
    save,
)

if TYPE_CHECKING:
    from handout.content.read import Content
    from handout.editor.site import Site

CHECKED_HOW = {
    CheckedHow.call: "I called the number",
    CheckedHow.website: "On the organisation's own website",
    CheckedHow.directory: "In a directory (such as 211)",
    CheckedHow.document: "In an official document",
}
"""How a fact was confirmed, as offered on the re-checks page: written as `checked_how:`
(only a call lets a material say "confirmed by phone") and kept in the history."""


@dataclass(frozen=True)
class DueFact:
    """A fact due for re-checking, with what a caller needs: numbers to dial."""

    kind: str
    due: Due
    phones: list[tuple[str, str, str]]
    """(number as printed, tel: link, note) of each phone number."""


def recheck_list(content: Content, today: datetime.date) -> list[DueFact]:
    """The verify sheet's facts (oldest first), each with its numbers as tel: links."""
    listed = []
    for due in due_facts(content, today):
        record = content.resources.get(due.id)
        kind = "resource" if record is not None else "law"
        numbers = [
            (phones.display(phone.number), phones.uri(phone.number, "tel"), phone.note or "")
            for phone in (record.phones if record else [])
            if "call" in phone.kind or "tty" in phone.kind
        ]
        listed.append(DueFact(kind, due, numbers))
    return listed


def routes(site: Site) -> list[BaseRoute]:
    """The re-checks page and its confirmations, working on `site`."""

    writes = guarded(site)

    async def rechecks(request: Request) -> Response:
        loaded = content(site)
        due = recheck_list(loaded, datetime.date.today())
        return render(
            site, "rechecks.html", heading="Facts to re-check", section="rechecks", due=due,
            token=site.token, who=unquote(request.cookies.get(WHO_COOKIE, "")),
            done=request.query_params.get("confirmed", ""), ways=CHECKED_HOW,
        )  # fmt: skip

    @writes
    async def confirm(request: Request, form: FormData) -> Response:
        _loaded, place = find_record(site, request)
        who = str(form.get("_who", "")).strip()
        try:
            how = CheckedHow(str(form.get("how", "")).strip())
        except ValueError:
            return Response("Choose how you checked the fact.", status_code=400)
        before = place.path.read_text(encoding="utf-8")
        after = yaml_edit.update_record(
            before, place.location,
            {"checked": datetime.date.today(), "checked_how": how.value, "verified": True},
            remove=("unverified_note",),
        )  # fmt: skip
        if after != before:
            save(site, place.path, place.file, before, after, who,
                 f"confirmed {place.kind} {place.id} ({CHECKED_HOW[how]})")  # fmt: skip
        return remembering_who(
            RedirectResponse(f"/edit/rechecks?confirmed={place.id}", status_code=303), who
        )

    return [
        Route("/edit/rechecks", answering(rechecks)),
        Route("/edit/rechecks/{kind}/{id}", answering(confirm), methods=["POST"]),
    ]
