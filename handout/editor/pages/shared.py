"""The editor's pages: records (list, form, add, delete), re-checks, cards and flyer per
region, translations, and history with undo. The work itself is done in the modules beside
this one (forms, records, yaml_edit, layouts, translations, history); here are the routes.

Every page works without JavaScript: plain links, GET forms for searching and POST forms
for changes, each answered by a redirect (or the same form with its errors).
"""

from __future__ import annotations

import datetime
import functools
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlencode

import jinja2
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handout.content import phones, yaml_edit
from handout.content.errors import ContentErrors, UserError
from handout.content.models import CheckedHow
from handout.content.recheck import Due, due_facts
from handout.content.validate import region_resource_ids
from handout.editor import forms, history, layouts, records, translations
from handout.editor.security import inside, write_refusal, write_text_atomic
from handout.layout.materials import MATERIALS

if TYPE_CHECKING:
    from handout.content.read import Content
    from handout.editor.site import Site

TEMPLATES = Path(__file__).with_name("templates")
WHO_COOKIE = "handout_editor_name"
KEPT_VERSIONS = 200
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


def here_url(request: Request, language: str, **more: str) -> str:
    """The translations page of `language` with the request's filters (and `more`)."""
    kept = {
        key: value
        for key, value in request.query_params.items()
        if key in ("material", "region", "state")
    }
    query = urlencode({**kept, **more})
    return f"/edit/translations/{language}" + (f"?{query}" if query else "")


def row_id(english: str) -> str:
    """The id of a text's row on the translations page."""
    return "t-" + records.digest(english)[:12]


def field_label(name: str) -> str:
    """`phones.0.number` as a reader names it: "Phone 1, number"."""
    words, parts = [], name.split(".")
    for index, part in enumerate(parts):
        if part.isdigit():
            words[-1] = f"{words[-1].removesuffix('s')} {int(part) + 1}"
        else:
            words.append(forms.label_of(part) if index == 0 else part.replace("_", " "))
    return ", ".join(words)


def values_of(form: FormData) -> forms.Values:
    values: forms.Values = {}
    for key in form:
        items = [item for item in form.getlist(key) if isinstance(item, str)]
        values[key] = items if len(items) > 1 else (items[0] if items else "")
    return values


def routes(site: Site) -> list[BaseRoute]:
    """The editor's routes, working on `site`."""

    writes = guarded(site)

    def content() -> Content:
        """The content as the command line loads it; a mistake in it answers the request
        with the page that shows it."""
        from handout.build.pipeline import load

        try:
            return load(site.content)
        except UserError as error:
            raise Answer(broken(site, error)) from error

    async def record_list(request: Request) -> Response:
        loaded = content()
        today = datetime.date.today()
        query = request.query_params.get("q", "")
        return render(
            site, "records.html", heading="Records and laws", section="records", query=query,
            deleted=request.query_params.get("deleted", ""),
            files=records.files_for(loaded, "resource") + records.files_for(loaded, "law"),
            entries=records.entries(loaded, today, query),
            total=len(records.entries(loaded, today)),
        )  # fmt: skip

    def record_page(
        request: Request, place: records.Place, values: forms.Values, text: str, **extra: Any
    ) -> HTMLResponse:
        new = extra.pop("new", False)
        form = forms.widgets(place.model, new=new)
        errors = extra.get("errors", {})
        name = values.get("name") or values.get("title") or place.id
        if new:
            name = f"New {place.kind} in {place.file}"
        return render(
            site, "record.html", extra.pop("status_code", 200), heading=str(name),
            section="records", file=place.file, form=form, values=values,
            token=site.token, file_hash=remember(site, text),
            action=extra.pop("action_path", None) or str(request.url.path)
            + (f"?{request.url.query}" if request.url.query else ""),
            who=unquote(request.cookies.get(WHO_COOKIE, "")), saved="saved" in request.query_params,
            error_links={key: "f-" + key.replace(".", "-").replace("_", "-") for key in errors},
            error_labels={key: field_label(key) for key in errors}, new=new,
            **extra,
        )  # fmt: skip

    def find(request: Request) -> tuple[Content, records.Place]:
        loaded = content()
        kind, record_id = request.path_params["kind"], request.path_params["id"]
        place = records.place_of(loaded, kind, record_id)
        if place is None:
            raise Answer(HTMLResponse("No such record.", status_code=404))
        return loaded, place

    def new_place(request: Request) -> tuple[Content, records.Place]:
        loaded = content()
        kind, file = request.path_params["kind"], request.query_params.get("file", "")
        if kind not in records.MODELS or file not in records.files_for(loaded, kind):
            raise Answer(HTMLResponse("No such kind of record or file.", status_code=404))
        return loaded, records.Place(kind, "", file, inside(site.content, file), ())

    async def new_form(request: Request) -> Response:
        _loaded, place = new_place(request)
        return record_page(request, place, {}, place.path.read_text(encoding="utf-8"), new=True)

    @writes
    async def new_save(request: Request, form: FormData) -> Response:
        loaded, place = new_place(request)
        values = values_of(form)
        outcome = records.check_add(loaded, place.kind, place.file, values)
        if not outcome.ok:
            text = place.path.read_text(encoding="utf-8")
            return record_page(
                request, place, values, text, new=True, errors=outcome.errors,
                problems=outcome.problems, conflict=outcome.conflict,
                status_code=409 if outcome.conflict else 422,
            )  # fmt: skip
        before = place.path.read_text(encoding="utf-8")
        record_id = str(values.get("id", "")).strip()
        save(place.path, outcome.new_text)
        who = str(values.get("_who", "")).strip()
        log(who, f"added {place.kind} {record_id}", place.file, before, outcome.new_text)
        return RedirectResponse(f"/edit/{place.kind}/{record_id}?saved=1", status_code=303)

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
        loaded, place = find(request)
        return delete_page(request, loaded, place, place.path.read_text(encoding="utf-8"))

    @writes
    async def delete(request: Request, form: FormData) -> Response:
        loaded, place = find(request)
        before = place.path.read_text(encoding="utf-8")
        if records.digest(before) != str(form.get("_hash", "")):
            # Someone saved the file since the page was opened: confirm again on what is
            # there now, rather than delete a record whose new version nobody has seen.
            return delete_page(request, loaded, place, before, status_code=409)
        outcome = records.check_delete(loaded, place)
        if not outcome.ok:
            return delete_page(request, loaded, place, before, status_code=422, outcome=outcome)
        save(place.path, outcome.new_text)
        who = str(form.get("_who", "")).strip()
        log(who, f"deleted {place.kind} {place.id}", place.file, before, outcome.new_text)
        return remembering_who(RedirectResponse(f"/edit/?deleted={place.id}", status_code=303), who)

    async def record_form(request: Request) -> Response:
        loaded, place = find(request)
        text = place.path.read_text(encoding="utf-8")
        values = forms.values_of(place.model, records.record_data(place, text))
        printing = records.printed_by(loaded, place)
        where = "#" + "-".join(printing[0]) if printing else ""  # its place in the gallery
        return record_page(request, place, values, text, preview_at=where)

    @writes
    async def record_save(request: Request, form: FormData) -> Response:
        loaded, place = find(request)
        values = values_of(form)
        form_hash, who = str(values.get("_hash", "")), str(values.get("_who", "")).strip()
        outcome = records.check_save(loaded, place, values, form_hash, site.versions.get(form_hash))
        if not outcome.ok:
            text = place.path.read_text(encoding="utf-8")
            return record_page(
                request, place, values, text if outcome.conflict else site.versions.get(
                    form_hash, text
                ), errors=outcome.errors, problems=outcome.problems,
                conflict=outcome.conflict, status_code=409 if outcome.conflict else 422,
            )  # fmt: skip
        if outcome.changed:
            before = place.path.read_text(encoding="utf-8")
            site.preview.saved(records.printed_by(loaded, place))
            save(place.path, outcome.new_text)
            log(who, f"changed {place.kind} {place.id}", place.file, before,
                outcome.new_text,
            )  # fmt: skip
        return remembering_who(
            RedirectResponse(f"{request.url.path}?saved=1", status_code=303), who
        )

    def save(path: Any, text: str) -> None:
        """Write a content file; the watcher in serve.py starts the build."""
        write_text_atomic(path, text)

    def log(who: str, what: str, file: str, before: str, after: str) -> None:
        """Keep a save in the history (and, with `serve --commit`, as a git commit)."""
        history.record(site.out, who, what, file, before, after)
        if site.commit:
            history.commit(site.content, file, who, what)

    async def rechecks(request: Request) -> Response:
        loaded = content()
        due = recheck_list(loaded, datetime.date.today())
        return render(
            site, "rechecks.html", heading="Facts to re-check", section="rechecks", due=due,
            token=site.token, who=unquote(request.cookies.get(WHO_COOKIE, "")),
            done=request.query_params.get("confirmed", ""), ways=CHECKED_HOW,
        )  # fmt: skip

    @writes
    async def confirm(request: Request, form: FormData) -> Response:
        _loaded, place = find(request)
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
            save(place.path, after)
            log(who, f"confirmed {place.kind} {place.id} ({CHECKED_HOW[how]})",
                place.file, before, after,
            )  # fmt: skip
        return remembering_who(
            RedirectResponse(f"/edit/rechecks?confirmed={place.id}", status_code=303), who
        )

    async def history_page(request: Request) -> Response:
        return render(
            site, "history.html", heading="History of changes", section="history",
            changes=history.changes(site.out), token=site.token,
            who=unquote(request.cookies.get(WHO_COOKIE, "")),
            message=request.query_params.get("message", ""),
        )  # fmt: skip

    @writes
    async def undo(request: Request, form: FormData) -> Response:
        who = str(form.get("_who", "")).strip()
        number = int(request.path_params["number"])
        why = history.undo(site.out, site.content, number, who)
        if why is None and site.commit:
            undone = next(change for change in history.changes(site.out) if change.number == number)
            history.commit(site.content, undone.file, who, f"undo #{number}: {undone.what}")
        message = f"Not undone: {why}." if why else "Undone. The preview is being rebuilt."
        return RedirectResponse(f"/edit/history?message={quote(message)}", status_code=303)

    def templates_folder() -> Path:
        return site.templates or Path.cwd() / "templates"

    def translations_page(
        request: Request, loaded: Content, language: str, **extra: Any
    ) -> HTMLResponse:
        query = request.query_params
        chosen = {key: query.get(key, "") for key in ("material", "region", "state")}
        states = [chosen["state"]] if chosen["state"] else ["missing", "outdated"]
        if chosen["state"] == "all":
            states = []
        shown = translations.texts(
            loaded, templates_folder(), language, states,
            [chosen["region"]] if chosen["region"] else None,
            [chosen["material"]] if chosen["material"] else None,
        )  # fmt: skip
        po = translations.po_text(loaded, templates_folder(), language)
        links = where_printed(shown, language)
        return render(
            site, "translations.html", extra.pop("status_code", 200),
            heading=f"Translations: {loaded.project.language(language).name}",
            section="translations", language=loaded.project.language(language),
            languages=[lang for lang in loaded.project.languages
                       if lang.code != loaded.project.source_language],
            regions=sorted(loaded.regions), materials=list(MATERIALS), chosen=chosen,
            texts=shown, token=site.token, po_hash=remember(site, po), links=links,
            who=unquote(request.cookies.get(WHO_COOKIE, "")), row_id=row_id,
            here=here_url(request, language),
            saved=query.get("saved", ""), **extra,
        )  # fmt: skip

    def where_printed(shown: list[translations.Text], language: str) -> dict[str, list]:
        """Each text's links to the built PDFs printing it, at the page where it is."""
        pages: dict[Path, list[str]] = {}
        links: dict[str, list[tuple[str, str]]] = {}
        for text in shown:
            for region, material, printed in text.where:
                relative = f"{region}/{language}/{material}.pdf"
                pdf = site.out / relative
                if not pdf.exists():
                    continue
                if pdf not in pages:
                    pages[pdf] = translations.pdf_pages(pdf)
                page = translations.page_of(pages[pdf], printed)
                suffix = f"#page={page}" if page else ""
                title = f"{material}, {region}" + (f", page {page}" if page else "")
                links.setdefault(text.english, []).append((f"/{relative}{suffix}", title))
        return links

    def language_of(loaded: Content, request: Request) -> str | None:
        codes = [c for c in loaded.project.codes if c != loaded.project.source_language]
        asked = request.query_params.get("lang") or request.path_params.get("lang")
        if asked is None:
            return codes[0] if codes else None
        return asked if asked in codes else None

    def language_context(request: Request) -> tuple[Content, str]:
        """The content and the language a translations page is about (or `Answer` with the
        page that says why there is none: a content mistake, an unknown language)."""
        loaded = content()
        language = language_of(loaded, request)
        if language is None:
            raise Answer(HTMLResponse("No such language.", status_code=404))
        return loaded, language

    async def translations_list(request: Request) -> Response:
        loaded, language = language_context(request)
        return translations_page(request, loaded, language)

    @writes
    async def translation_save(request: Request, form: FormData) -> Response:
        loaded, language = language_context(request)
        english, text = str(form.get("english", "")), str(form.get("translation", "")).strip()
        who = str(form.get("_who", "")).strip()
        path = inside(site.content, f"locale/{language}.po")
        before = translations.po_text(loaded, templates_folder(), language)
        form_hash = str(form.get("_hash", ""))
        errors: dict[str, str] = {}
        conflict = ""
        if records.digest(before) != form_hash:
            conflict = records.conflict_diff(
                site.versions.get(form_hash), before, f"locale/{language}.po"
            )
        elif text and not translations.same_placeholders(english, text):
            wanted = " ".join(translations.PLACEHOLDER.findall(english)) or "none"
            errors[row_id(english)] = (
                f"The translation must keep the placeholders exactly as in English: {wanted}"
            )
        if errors or conflict:
            return translations_page(
                request, loaded, language, errors=errors, conflict=conflict,
                typed={english: text}, status_code=409 if conflict else 422,
            )  # fmt: skip
        try:
            after = translations.with_translation(
                loaded, templates_folder(), language, english, text
            )
        except KeyError:
            return HTMLResponse("No such text.", status_code=404)
        if after != before:
            save(path, after)
            log(who, f"translated into {language}: {english[:60]}",
                f"locale/{language}.po", before, after,
            )  # fmt: skip
        back = here_url(request, language, saved=row_id(english))
        return remembering_who(RedirectResponse(f"{back}#{row_id(english)}", status_code=303), who)

    @writes
    async def review(request: Request, form: FormData) -> Response:
        loaded, language = language_context(request)
        reviewer = str(form.get("reviewer", "")).strip()
        if not reviewer:
            return translations_page(
                request, loaded, language, status_code=422,
                errors={"reviewer": "Reviewer is missing: write your name"},
            )  # fmt: skip
        path = inside(site.content, "project.yaml")
        before = path.read_text(encoding="utf-8")
        after = translations.reviewed_project(before, loaded, language, reviewer)
        if after != before:
            save(path, after)
            log(reviewer, f"marked {language} reviewed", "project.yaml", before, after)
        return RedirectResponse(f"/edit/translations/{language}", status_code=303)

    def layout_page(
        request: Request, loaded: Content, region_id: str, text: str, **extra: Any
    ) -> HTMLResponse:
        data = yaml_edit.plain(yaml_edit.load(text))
        shown = sorted(region_resource_ids(loaded, region_id))
        names = {rid: loaded.resources[rid].label for rid in loaded.resources}
        with site.preview.lock:
            results = {
                key: value for key, value in site.preview.results.items() if key[0] == region_id
            }
            error = site.preview.error if region_id in site.preview.error else ""
        return render(
            site, "layout.html", extra.pop("status_code", 200),
            heading=f"Cards and flyer: {loaded.regions[region_id].name}", section="layouts",
            region_id=region_id, regions=sorted(loaded.regions), token=site.token,
            file_hash=remember(site, text), lists={
                name: (title, layouts.rows(data, name)) for name, title in layouts.LISTS.items()
            },
            qr_codes={m: (title, layouts.qr_of(data, m)) for m, title in layouts.QR_CODES.items()},
            qr_links=layouts.QR_LINKS, records=shown, names=names, results=results,
            build_error=error, who=unquote(request.cookies.get(WHO_COOKIE, "")),
            saved="saved" in request.query_params, **extra,
        )  # fmt: skip

    def region_of(request: Request) -> tuple[Content, str, Path]:
        loaded = content()
        region_id = request.path_params.get("region") or request.query_params.get("region")
        if region_id is None and loaded.regions:
            region_id = sorted(loaded.regions)[0]
        if region_id not in loaded.regions:
            raise Answer(HTMLResponse("No such region.", status_code=404))
        return loaded, region_id, inside(site.content, f"regions/{region_id}.yaml")

    async def layout(request: Request) -> Response:
        loaded, region_id, path = region_of(request)
        return layout_page(request, loaded, region_id, path.read_text(encoding="utf-8"))

    @writes
    async def layout_save(request: Request, form: FormData) -> Response:
        loaded, region_id, path = region_of(request)
        before = path.read_text(encoding="utf-8")
        form_hash, who = str(form.get("_hash", "")), str(form.get("_who", "")).strip()
        if records.digest(before) != form_hash:
            conflict = records.conflict_diff(
                site.versions.get(form_hash), before, f"regions/{region_id}.yaml"
            )
            return layout_page(request, loaded, region_id, before, conflict=conflict,
                               status_code=409)  # fmt: skip
        try:
            if "qr" in form:
                material = str(form.get("qr", ""))
                after = layouts.with_qr(
                    before, material, str(form.get("resource", "")), str(form.get("link", ""))
                )
                what = f"QR code of the {material}"
            else:
                name = str(form.get("list", ""))
                labels = [str(label) for label in form.getlist("label")]
                add = (str(form.get("add", "")), str(form.get("purpose", "")).strip())
                after = layouts.changed(before, name, str(form.get("do", "labels")), labels, add)
                what = layouts.LISTS[name]
        except KeyError:
            return HTMLResponse("No such list.", status_code=404)
        if after == before:
            return RedirectResponse(request.url.path, status_code=303)
        problems = records.content_problems(site.content, f"regions/{region_id}.yaml", after)
        if problems:
            return layout_page(request, loaded, region_id, before, problems=problems,
                               status_code=422)  # fmt: skip
        save(path, after)
        log(who, f"{what} in {region_id}", f"regions/{region_id}.yaml", before, after)
        return RedirectResponse(f"{request.url.path}?saved=1", status_code=303)

    return [
        Route("/edit/", answering(record_list)),
        Route("/edit/layout", answering(layout)),
        Route("/edit/layout/{region}", answering(layout), methods=["GET"]),
        Route("/edit/layout/{region}", answering(layout_save), methods=["POST"]),
        Route("/edit/translations", answering(translations_list)),
        Route("/edit/translations/{lang}", answering(translations_list), methods=["GET"]),
        Route("/edit/translations/{lang}", answering(translation_save), methods=["POST"]),
        Route("/edit/translations/{lang}/review", answering(review), methods=["POST"]),
        Route("/edit/rechecks", answering(rechecks)),
        Route("/edit/rechecks/{kind}/{id}", answering(confirm), methods=["POST"]),
        Route("/edit/history", answering(history_page)),
        Route("/edit/history/{number:int}/undo", answering(undo), methods=["POST"]),
        Route("/edit/new/{kind}", answering(new_form), methods=["GET"]),
        Route("/edit/new/{kind}", answering(new_save), methods=["POST"]),
        Route("/edit/{kind}/{id}/delete", answering(delete_confirm), methods=["GET"]),
        Route("/edit/{kind}/{id}/delete", answering(delete), methods=["POST"]),
        Route("/edit/{kind}/{id}", answering(record_form), methods=["GET"]),
        Route("/edit/{kind}/{id}", answering(record_save), methods=["POST"]),
    ]
