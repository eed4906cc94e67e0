"""The re-checks page: the facts due for re-checking, most urgent first (overdue, due within
a month, never confirmed, then those due for another reason), filtered by urgency and by
region, each with its numbers to call and a form to confirm it and say how it was checked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handout.content import phones, yaml_edit
from handout.content.freshness import facts_with_places, months_between
from handout.content.models import CheckedHow, Fact
from handout.content.models.fields import website_url
from handout.content.recheck import (
    DUE_AHEAD_MONTHS,
    Due,
    confirmation,
    due_facts,
    websites_of,
)
from handout.content.validate import region_resource_ids
from handout.editor import records
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

CHECKED_HOW_SAID = {
    CheckedHow.call: "called the number",
    CheckedHow.website: "on the organisation's own website",
    CheckedHow.directory: "in a directory (such as 211)",
    CheckedHow.document: "in an official document",
}
"""The same, inside a sentence: "checked today (called the number)"."""


URGENCY = ("overdue", "due soon", "never confirmed", "other")
"""How urgent a re-check is, most urgent first: past the age limit, within a month of it,
never confirmed at all, or due for another reason (an old source, never confirmed by a
call)."""

SHOW = {
    "": "everything, most urgent first",
    "due": "overdue and due soon",
    "unverified": "never confirmed",
    "other": "other reasons (an old source, not confirmed by a call)",
}
"""The page's filter: which facts it lists."""


@dataclass(frozen=True)
class DueFact:
    """A fact due for re-checking, with what a caller needs: numbers to dial."""

    kind: str
    due: Due
    phones: list[tuple[str, str, str]]
    """(number as printed, tel: link, note) of each phone number."""
    urgency: str = "other"
    """One of `URGENCY`."""
    look_up: tuple[tuple[str, str], ...] = ()
    """(address as printed, link) of the record's website and of each cited source's: where
    a fact without a number to call (a law, a web-only service) is checked."""
    regions: frozenset[str] = frozenset()
    """The regions whose materials print it (every region for a law)."""


def urgency(fact: Fact, content: Content, today: datetime.date) -> str:
    """How urgent re-checking `fact` is (see `URGENCY`)."""
    limit = content.project.checked_max_age_months
    age = months_between(fact.checked, today)
    if age >= limit:
        return "overdue"
    if age >= limit - DUE_AHEAD_MONTHS:
        return "due soon"
    return "never confirmed" if not fact.verified else "other"


def recheck_list(content: Content, today: datetime.date) -> list[DueFact]:
    """The verify sheet's facts, most urgent first (overdue, due soon, never confirmed,
    the others), each in the sheet's order within its kind of urgency, with its numbers
    as tel: links and the regions printing it."""
    facts = {fact.id: fact for _place, fact in facts_with_places(content)}
    shown_in = {region: region_resource_ids(content, region) for region in content.regions}
    listed = []
    for due in due_facts(content, today):
        record = content.resources.get(due.id)
        kind = "resource" if record is not None else "law"
        numbers = [
            (phones.display(phone.number), phones.uri(phone.number, "tel"), phone.note or "")
            for phone in (record.phones if record else [])
            if "call" in phone.kind or "tty" in phone.kind
        ]
        regions = frozenset(
            region for region, ids in shown_in.items() if record is None or due.id in ids
        )
        level = urgency(facts[due.id], content, today)
        look_up = tuple((site, website_url(site)) for site in websites_of(facts[due.id]))
        listed.append(DueFact(kind, due, numbers, level, regions=regions, look_up=look_up))
    listed.sort(key=lambda item: URGENCY.index(item.urgency))  # stable: the sheet's order
    return listed


def shown(listed: list[DueFact], show: str, region: str) -> list[DueFact]:
    """The facts the filters keep: `show` (a key of `SHOW`) and a region ("" for all)."""
    wanted = {
        "due": ("overdue", "due soon"),
        "unverified": ("never confirmed",),
        "other": ("other",),
    }.get(show, URGENCY)
    return [
        item for item in listed if item.urgency in wanted and (not region or region in item.regions)
    ]


def routes(site: Site) -> list[BaseRoute]:
    """The re-checks page and its confirmations, working on `site`."""

    writes = guarded(site)

    async def rechecks(request: Request) -> Response:
        loaded = content(site)
        listed = recheck_list(loaded, datetime.date.today())
        show = request.query_params.get("show", "")
        show = show if show in SHOW else ""
        region = request.query_params.get("region", "")
        region = region if region in loaded.regions else ""
        in_region = shown(listed, "", region)
        counts = {level: sum(item.urgency == level for item in in_region) for level in URGENCY}
        return render(
            site, "rechecks.html", heading="Facts to re-check", section="rechecks",
            due=shown(listed, show, region), total=len(listed), counts=counts, show=show,
            shows=SHOW, region=region,
            regions={key: loaded.regions[key].name for key in sorted(loaded.regions)},
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
        fields, remove = confirmation(
            records.record_data(place, before), datetime.date.today(), how
        )
        after = yaml_edit.update_record(before, place.location, fields, remove=remove)
        if after != before:
            save(site, place.path, place.file, before, after, who,
                 f"confirmed {place.kind} {place.id} ({CHECKED_HOW_SAID[how]})")  # fmt: skip
        kept = {key: str(form.get(key, "")) for key in ("show", "region") if form.get(key)}
        back = "/edit/rechecks?" + urlencode({**kept, "confirmed": place.id})
        return remembering_who(RedirectResponse(back, status_code=303), who)

    return [
        Route("/edit/rechecks", answering(rechecks)),
        Route("/edit/rechecks/{kind}/{id}", answering(confirm), methods=["POST"]),
    ]
