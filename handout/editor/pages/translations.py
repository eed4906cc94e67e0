"""The translations page: each text in English beside its translation, filtered by material,
region and state, with links to where the built PDFs print it; a saved translation, and a
language marked reviewed. The PO file and the texts are in `handout.editor.translations`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handout.content.files import Changed
from handout.editor import conflicts, invisible, records, translations
from handout.editor.pages.shared import (
    WHO_COOKIE,
    Answer,
    answering,
    content,
    guarded,
    inline,
    remember,
    remembering_who,
    render,
    row_id,
    save,
)
from handout.editor.security import inside
from handout.layout.materials import MATERIALS

if TYPE_CHECKING:
    from handout.content.read import Content
    from handout.editor.site import Site


def here_url(request: Request, language: str, **more: str) -> str:
    """The translations page of `language` with the request's filters (and `more`)."""
    kept = {
        key: value
        for key, value in request.query_params.items()
        if key in ("material", "region", "state", "page")
    }
    query = urlencode({**kept, **more})
    return f"/edit/translations/{language}" + (f"?{query}" if query else "")


PER_PAGE = 40
"""Texts shown at a time: a language holds hundreds, each with its own form."""


def page_number(asked: str, total: int) -> int:
    """The page of texts asked for (from 1), kept within the pages there are."""
    last = max(1, -(-total // PER_PAGE))
    return min(max(int(asked), 1), last) if asked.isdigit() else 1


def needs_a_person(reviewed: bool) -> tuple[str, ...]:
    """The states of the texts a person must look at, most ready first: in a language not
    reviewed yet, every translation is a draft that a native speaker must read (and each
    one read is soon done), then the outdated ones (the English changed), then the missing
    ones; once reviewed, only the outdated and the missing."""
    return ("outdated", "missing") if reviewed else ("translated", "outdated", "missing")


def state_words(reviewed: bool) -> dict[str, str]:
    """Each state as the page names it (a translation not reviewed yet is a draft)."""
    translated = "translated" if reviewed else "draft to review"
    return {"translated": translated, "outdated": "outdated", "missing": "missing"}


UNFINISHED = ("outdated", "missing")
"""Texts that block marking a language reviewed: nobody can have read them as they print."""

CONFIRM = "confirm"
"""The review form's box: "I am a native speaker and I have read every text"."""


def review_errors(form: FormData, language_name: str, unfinished: dict[str, int]) -> dict:
    """Why a language cannot be marked reviewed yet (empty: it can), by the review form's
    field: its texts still outdated or missing, no reviewer's name, the box not ticked."""
    errors = {}
    left = sum(unfinished.values())
    if left:
        words = " and ".join(f"{count} {state}" for state, count in unfinished.items() if count)
        errors["review"] = (
            f"{language_name} cannot be marked reviewed yet: {left} text"
            f"{'' if left == 1 else 's'} still need{'s' if left == 1 else ''} a translation "
            f"({words}). "
            "Translate them first, then have them read"
        )
    if not str(form.get("reviewer", "")).strip():
        errors["reviewer"] = "Reviewer is missing: write your name"
    if form.get(CONFIRM) != "yes":
        errors[CONFIRM] = f"Tick the box only if you read every text in {language_name}"
    return errors


def routes(site: Site) -> list[BaseRoute]:
    """The translations pages, their saves and the review, working on `site`."""

    writes = guarded(site)
    writes_here = guarded(site, name_on_page=True)  # a missing reviewer is said beside it

    def unfinished(loaded: Content, language: str) -> dict[str, int]:
        """How many of the language's texts are outdated, and how many missing."""
        found = translations.texts(loaded, templates_folder(), language, list(UNFINISHED))
        return {state: sum(text.state == state for text in found) for state in UNFINISHED}

    def templates_folder() -> Path:
        return site.templates or Path.cwd() / "templates"

    def translations_page(
        request: Request, loaded: Content, language: str, **extra: Any
    ) -> HTMLResponse:
        query = request.query_params
        chosen = {key: query.get(key, "") for key in ("material", "region", "state")}
        reviewed = loaded.project.language(language).reviewed
        needing = needs_a_person(reviewed)
        states = [chosen["state"]] if chosen["state"] else list(needing)
        if chosen["state"] == "all":
            states = []
        shown = translations.texts(
            loaded, templates_folder(), language, states,
            [chosen["region"]] if chosen["region"] else None,
            [chosen["material"]] if chosen["material"] else None,
        )  # fmt: skip
        if not chosen["state"]:
            shown.sort(key=lambda text: needing.index(text.state))  # stable: catalog order
        counts = {state: sum(text.state == state for text in shown) for state in needing}
        total = len(shown)
        number = page_number(query.get("page", ""), total)
        typed = [text for text in extra.get("typed", {}) if text]
        positions = [index for index, text in enumerate(shown) if text.english in typed]
        if positions:  # a text sent with a mistake: shown on its page, with the mistake
            number = positions[0] // PER_PAGE + 1
        shown = shown[(number - 1) * PER_PAGE : number * PER_PAGE]
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
            saved=query.get("saved", ""), script=inline("translations.js"), counts=counts,
            cleaned="cleaned" in query,
            state_words=state_words(reviewed), total=total, first=(number - 1) * PER_PAGE + 1,
            unfinished={} if reviewed else unfinished(loaded, language),
            previous_page=here_url(request, language, page=str(number - 1)) if number > 1 else "",
            next_page=here_url(request, language, page=str(number + 1))
            if number * PER_PAGE < total else "",
            **extra,
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

    def conflict_page(
        request: Request,
        loaded: Content,
        language: str,
        english: str,
        typed: str,
        form_hash: str,
        conflict: str,
    ) -> HTMLResponse:
        """The page again after someone else saved the language's translations since it
        was opened: who and when, and their translation of this text beside the one typed
        (still in its box, to save again)."""
        file = f"locale/{language}.po"
        now = translations.po_text(loaded, templates_folder(), language)
        theirs = translations.translation_in(now, english)
        opened = translations.translation_in(site.versions.get(form_hash), english)
        return translations_page(
            request, loaded, language, status_code=409, typed={english: typed},
            conflict=conflict, conflict_text=english, theirs=theirs, mine=typed,
            untouched=theirs is not None and theirs == opened,
            other=conflicts.other_save(site.out, file, now, inside(site.content, file)),
        )  # fmt: skip

    def language_of(loaded: Content, request: Request) -> str | None:
        codes = [c for c in loaded.project.codes if c != loaded.project.source_language]
        asked = request.query_params.get("lang") or request.path_params.get("lang")
        if asked is None:
            return codes[0] if codes else None
        return asked if asked in codes else None

    def language_context(request: Request) -> tuple[Content, str]:
        """The content and the language a translations page is about (or `Answer` with the
        page that says why there is none: a content mistake, an unknown language)."""
        loaded = content(site)
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
        removed = False
        if text != translations.translation_in(before, english):  # typed: not as saved
            text, was = invisible.cleaned(text).strip(), text
            removed = text != was
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
        elif text:
            refusal = translations.translation_refusal(
                loaded, templates_folder(), language, english, text
            )
            if refusal:
                errors[row_id(english)] = refusal
        if conflict:
            return conflict_page(request, loaded, language, english, text, form_hash, conflict)
        if errors:
            return translations_page(
                request, loaded, language, errors=errors, typed={english: text}, status_code=422
            )
        try:
            after = translations.with_translation(
                loaded, templates_folder(), language, english, text
            )
        except KeyError:
            return HTMLResponse("No such text.", status_code=404)
        if after != before:
            file = f"locale/{language}.po"
            was = before if before or path.exists() else None  # a new catalog: still none
            try:
                save(
                    site, path, file, was, after, who, f"translated into {language}: {english[:60]}"
                )
            except Changed as changed:
                now = changed.now or ""
                site.versions[records.digest(before)] = before
                conflict = records.conflict_diff(before, now, file)
                return conflict_page(
                    request, loaded, language, english, text, records.digest(before), conflict
                )
        back = here_url(
            request, language, saved=row_id(english), **({"cleaned": "1"} if removed else {})
        )
        return remembering_who(RedirectResponse(f"{back}#{row_id(english)}", status_code=303), who)

    @writes_here
    async def review(request: Request, form: FormData) -> Response:
        loaded, language = language_context(request)
        reviewer = str(form.get("reviewer", "")).strip()
        name = loaded.project.language(language).name
        errors = review_errors(form, name, unfinished(loaded, language))
        if errors:
            return translations_page(request, loaded, language, status_code=422, errors=errors)
        path = inside(site.content, "project.yaml")
        before = path.read_text(encoding="utf-8")
        after = translations.reviewed_project(before, loaded, language, reviewer)
        if after != before:
            save(site, path, "project.yaml", before, after, reviewer, f"marked {language} reviewed")
        return RedirectResponse(f"/edit/translations/{language}", status_code=303)

    return [
        Route("/edit/translations", answering(translations_list)),
        Route("/edit/translations/{lang}", answering(translations_list), methods=["GET"]),
        Route("/edit/translations/{lang}", answering(translation_save), methods=["POST"]),
        Route("/edit/translations/{lang}/review", answering(review), methods=["POST"]),
    ]
