"""The records pages: the list of records and laws, a record's form and its save, adding a
record, and deleting one after a confirmation. The work (where a record is, the checks of a
save, the minimal edit of its file) is in `handout.editor.records`; here are the routes.

The list has a fixed path, the others match any `/edit/{kind}/{id}`: `pages.routes` puts the
list first and the rest after every other page's routes, hence two functions."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from pydantic import BaseModel
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handout.content.files import Changed
from handout.editor import conflicts, forms, invisible, records
from handout.editor.pages import checked_today
from handout.editor.pages.rechecks import CHECKED_HOW, CHECKED_HOW_SAID
from handout.editor.pages.shared import (
    NO_NAME,
    WHO_COOKIE,
    Answer,
    answering,
    content,
    find_record,
    guarded,
    remember,
    remembering_who,
    render,
    save,
    signed,
)
from handout.editor.security import inside

if TYPE_CHECKING:
    from handout.content.read import Content
    from handout.editor.site import Site


LABELS = {checked_today.HOW: "I checked this today", "_who": "Your name"}
"""How the summary of errors names the form's own fields (those not of the record)."""


def values_of(form: FormData, model: type[BaseModel]) -> forms.Values:
    """The submitted form's values, each multi-value field (check boxes) as a list."""
    values: forms.Values = {}
    for key in form:
        items = [item for item in form.getlist(key) if isinstance(item, str)]
        values[key] = items if len(items) > 1 else (items[0] if items else "")
    return forms.with_lists(model, values)


def list_routes(site: Site) -> list[BaseRoute]:
    """The list of records and laws (`/edit/`, the editor's first page), with a search."""

    async def record_list(request: Request) -> Response:
        loaded = content(site)
        today = datetime.date.today()
        query = request.query_params.get("q", "")
        return render(
            site, "records.html", heading="Records and laws", section="records", query=query,
            deleted=request.query_params.get("deleted", ""),
            files=records.files_for(loaded, "resource") + records.files_for(loaded, "law"),
            entries=records.entries(loaded, today, query),
            total=len(records.entries(loaded, today)),
        )  # fmt: skip

    return [Route("/edit/", answering(record_list))]


def routes(site: Site) -> list[BaseRoute]:
    """A record's form, a new record's form and a record's deletion, working on `site`."""

    writes = guarded(site)
    writes_here = guarded(site, name_on_page=True)  # a missing name is said beside its field

    def record_page(
        request: Request, place: records.Place, values: forms.Values, text: str, **extra: Any
    ) -> HTMLResponse:
        new = extra.pop("new", False)
        typed_who = str(values.get("_who") or "").strip()  # kept after a refused save
        extra.setdefault("sides", None)
        extra.setdefault("other", None)
        extra.setdefault("untouched", False)
        extra["cleaned"] = extra.get("cleaned") or "cleaned" in request.query_params
        if extra.get("conflict") and extra["other"] is None:
            extra["other"] = conflicts.other_save(site.out, place.file, text, place.path)
        form = forms.widgets(place.model, new=new)
        errors = extra.get("errors", {})
        name = values.get("name") or values.get("title") or place.id
        if new:
            name = f"New {place.kind} in {place.file}"
        return render(
            site, "record.html", extra.pop("status_code", 200), heading=str(name),
            section="records", file=place.file, form=form, values=values,
            imported=records.is_imported(place.file),
            token=site.token, file_hash=remember(site, text),
            action=extra.pop("action_path", None) or str(request.url.path)
            + (f"?{request.url.query}" if request.url.query else ""),
            who=typed_who or unquote(request.cookies.get(WHO_COOKIE, "")),
            saved="saved" in request.query_params, kept=request.query_params.get("kept", ""),
            unchanged="unchanged" in request.query_params,
            error_links={key: "f-" + key.lstrip("_").replace(".", "-").replace("_", "-")
                         for key in errors},
            ways=CHECKED_HOW, checked=CHECKED_HOW_SAID.get(request.query_params.get("checked", "")),
            not_checked=request.query_params.get("not_checked", ""),
            error_labels={key: LABELS.get(key) or forms.field_label(key) for key in errors},
            new=new,
            **extra,
        )  # fmt: skip

    def conflict_page(
        request: Request, place: records.Place, values: forms.Values, now: str, conflict: str
    ) -> HTMLResponse:
        """The form again, after someone else saved the record since it was opened: their
        version beside this person's, field by field, to keep either."""
        theirs = records.record_data(place, now)
        was = site.versions.get(str(values.get("_hash", "")))
        opened = conflicts.record_in(was, str(place.location[0]), place.id)
        sides = conflicts.differences(place.model, theirs, values, opened)
        return record_page(
            request, place, values, now, status_code=409, conflict=conflict, sides=sides,
            untouched=opened is not None and opened == theirs,
        )  # fmt: skip

    def new_place(request: Request) -> tuple[Content, records.Place]:
        loaded = content(site)
        kind, file = request.path_params["kind"], request.query_params.get("file", "")
        if kind not in records.MODELS or file not in records.files_for(loaded, kind):
            raise Answer(HTMLResponse("No such kind of record or file.", status_code=404))
        return loaded, records.Place(kind, "", file, inside(site.content, file), ())

    async def new_form(request: Request) -> Response:
        _loaded, place = new_place(request)
        return record_page(request, place, {}, place.path.read_text(encoding="utf-8"), new=True)

    @writes_here
    async def new_save(request: Request, form: FormData) -> Response:
        loaded, place = new_place(request)
        values = values_of(form, place.model)
        removed = invisible.clean_values(values, {})
        outcome = records.check_add(loaded, place.kind, place.file, values)
        outcome.errors.update(forms.date_errors(place.model, values))
        if not signed(form):
            outcome.errors["_who"] = NO_NAME
        if not outcome.ok:
            text = place.path.read_text(encoding="utf-8")
            return record_page(
                request, place, values, text, new=True, errors=outcome.errors,
                problems=outcome.problems, conflict=outcome.conflict, cleaned=removed,
                status_code=409 if outcome.conflict else 422,
            )  # fmt: skip
        record_id = str(values.get("id", "")).strip()
        who = str(values.get("_who", "")).strip()
        try:
            save(site, place.path, place.file, outcome.before, outcome.new_text, who,
                 f"added {place.kind} {record_id}")  # fmt: skip
        except Changed as changed:
            now = changed.now or ""
            return record_page(
                request, place, values, now, new=True, status_code=409,
                conflict=records.conflict_diff(outcome.before, now, place.file),
            )  # fmt: skip
        saved = "saved=1" + ("&cleaned=1" if removed else "")
        return remembering_who(
            RedirectResponse(f"/edit/{place.kind}/{record_id}?{saved}", status_code=303), who
        )

    def delete_page(
        request: Request,
        loaded: Content,
        place: records.Place,
        text: str,
        status_code: int = 200,
        outcome: records.Outcome | None = None,
    ) -> HTMLResponse:
        """Confirm a deletion, or say what still uses the record (then nothing to confirm).
        `outcome`: the deletion already tried (it checks a copy of the whole content)."""
        outcome = outcome or records.check_delete(loaded, place)
        name = records.record_data(place, text).get("name") or place.id
        back = f"/edit/{place.kind}/{place.id}"
        regions = {region_id: region.name for region_id, region in loaded.regions.items()}
        return render(
            site, "delete.html", status_code, heading=f"Delete {name}?", section="records",
            name=name, file=place.file, back=back, action=f"{back}/delete",
            users=records.users_of(outcome.problems, site.content, regions), token=site.token,
            file_hash=remember(site, text),
            who=unquote(request.cookies.get(WHO_COOKIE, "")),
        )  # fmt: skip

    async def delete_confirm(request: Request) -> Response:
        loaded, place = find_record(site, request)
        return delete_page(request, loaded, place, place.path.read_text(encoding="utf-8"))

    @writes
    async def delete(request: Request, form: FormData) -> Response:
        loaded, place = find_record(site, request)
        before = place.path.read_text(encoding="utf-8")
        if records.digest(before) != str(form.get("_hash", "")):
            # Someone saved the file since the page was opened: confirm again on what is
            # there now, rather than delete a record whose new version nobody has seen.
            return delete_page(request, loaded, place, before, status_code=409)
        outcome = records.check_delete(loaded, place, before)
        if not outcome.ok:
            return delete_page(request, loaded, place, before, status_code=422, outcome=outcome)
        who = str(form.get("_who", "")).strip()
        try:
            save(site, place.path, place.file, before, outcome.new_text, who,
                 f"deleted {place.kind} {place.id}")  # fmt: skip
        except Changed as changed:  # confirm again on what is there now
            return delete_page(request, loaded, place, changed.now or "", status_code=409)
        return remembering_who(RedirectResponse(f"/edit/?deleted={place.id}", status_code=303), who)

    async def record_form(request: Request) -> Response:
        loaded, place = find_record(site, request)
        text = place.path.read_text(encoding="utf-8")
        values = forms.values_of(place.model, records.record_data(place, text))
        printing = records.printed_by(loaded, place)
        where = "#" + "-".join(printing[0]) if printing else ""  # its place in the gallery
        return record_page(request, place, values, text, preview_at=where)

    @writes_here
    async def record_save(request: Request, form: FormData) -> Response:
        loaded, place = find_record(site, request)
        values = values_of(form, place.model)
        form_hash = str(values.get("_hash", ""))
        opened = site.versions.get(form_hash) or place.path.read_text(encoding="utf-8")
        removed = invisible.clean_values(
            values, forms.values_of(place.model, records.record_data(place, opened))
        )
        who = str(values.get("_who", "")).strip()
        how, check_errors = checked_today.asked(values)
        if not who:
            check_errors["_who"] = NO_NAME
        if check_errors:
            text = site.versions.get(form_hash) or place.path.read_text(encoding="utf-8")
            return record_page(
                request, place, values, text, errors=check_errors, status_code=422,
                cleaned=removed,
            )  # fmt: skip
        outcome = records.check_save(loaded, place, values, form_hash, site.versions.get(form_hash))
        if outcome.conflict:
            now = place.path.read_text(encoding="utf-8")
            return conflict_page(request, place, values, now, outcome.conflict)
        wrong_dates = forms.date_errors(place.model, values)  # said in the date box's terms
        if not outcome.ok or wrong_dates:
            text = place.path.read_text(encoding="utf-8")
            return record_page(
                request, place, values, site.versions.get(form_hash, text),
                errors={**outcome.errors, **wrong_dates}, problems=outcome.problems,
                status_code=422,
                cleaned=removed,
            )  # fmt: skip
        if outcome.changed:
            site.preview.saved(records.printed_by(loaded, place))  # they render first
            before, after = outcome.before, outcome.new_text

            def what() -> str:  # said once the preview is rebuilding
                fields = records.changed_fields(place, before, after)
                return f"changed {place.kind} {place.id}" + (f": {fields}" if fields else "")

            try:
                save(site, place.path, place.file, before, after, who, what)
            except Changed as changed:
                now = changed.now or ""
                conflict = records.conflict_diff(outcome.before, now, place.file)
                return conflict_page(request, place, values, now, conflict)
        saved = "saved=1" + ("&cleaned=1" if removed else "")
        if not outcome.changed and how is None:
            saved = "unchanged=1"  # nothing written, so nothing is rebuilt
        if how is not None:
            why = checked_today.record_check(site, place, how, who)
            saved += f"&checked={how.value}" if why is None else f"&not_checked={quote(why)}"
        return remembering_who(
            RedirectResponse(f"{request.url.path}?{saved}", status_code=303), who
        )

    return [
        Route("/edit/new/{kind}", answering(new_form), methods=["GET"]),
        Route("/edit/new/{kind}", answering(new_save), methods=["POST"]),
        Route("/edit/{kind}/{id}/delete", answering(delete_confirm), methods=["GET"]),
        Route("/edit/{kind}/{id}/delete", answering(delete), methods=["POST"]),
        Route("/edit/{kind}/{id}", answering(record_form), methods=["GET"]),
        Route("/edit/{kind}/{id}", answering(record_save), methods=["POST"]),
    ]
