"""The cards-and-flyer page of a region: the lists each face prints (moved, labelled, added,
removed), each material's QR code, and the fit of the last build. Each save is a minimal
edit of the region file (`handout.editor.layouts`), checked like the command line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ruamel.yaml.error import YAMLError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handout.content import yaml_edit
from handout.content.files import Changed
from handout.content.validate import region_resource_ids
from handout.editor import conflicts, invisible, layouts, records
from handout.editor.pages.shared import (
    WHO_COOKIE,
    Answer,
    answering,
    content,
    guarded,
    remember,
    render,
    save,
)
from handout.editor.security import inside
from handout.layout.compose import EMERGENCY_NUMBER

if TYPE_CHECKING:
    from handout.content.read import Content
    from handout.editor.site import Site


def only_911(loaded: Content, row: layouts.Row) -> bool:
    """Whether a row prints only 911 (set apart on the pocket card's front and the flyer)."""
    record = loaded.resources.get(row.resource)
    if record is None:
        return False
    numbers = [phone.number for phone in record.phones if phone.purpose == (row.purpose or None)]
    return bool(numbers) and all(number == EMERGENCY_NUMBER for number in numbers)


def routes(site: Site) -> list[BaseRoute]:
    """The cards-and-flyer pages and their saves, working on `site`."""

    writes = guarded(site)

    def layout_page(
        request: Request, loaded: Content, region_id: str, text: str, **extra: Any
    ) -> HTMLResponse:
        data = yaml_edit.plain(yaml_edit.load(text))
        extra.setdefault("side_by_side", None)
        if extra.get("conflict") and extra.get("other") is None:  # who saved what is there
            path = inside(site.content, f"regions/{region_id}.yaml")
            extra["other"] = conflicts.other_save(site.out, f"regions/{region_id}.yaml", text, path)
        extra.setdefault("other", None)
        shown = sorted(region_resource_ids(loaded, region_id))
        names = told_apart({rid: str(loaded.resources[rid].label) for rid in loaded.resources})
        source = loaded.project.source_language
        translated = [str(each.name) for each in loaded.project.languages if each.code != source]
        with site.preview.lock:
            results = {
                key: value for key, value in site.preview.results.items() if key[0] == region_id
            }
            error = site.preview.error if region_id in site.preview.error else ""
        return render(
            site, "layout.html", extra.pop("status_code", 200),
            heading=f"Cards and flyer: {loaded.regions[region_id].name}", section="layouts",
            region_id=region_id, token=site.token, translated=translated,
            regions=[(rid, loaded.regions[rid].name) for rid in sorted(loaded.regions)],
            file_hash=remember(site, text), lists={
                name: (title, layouts.row_views(layouts.rows(data, name),
                                                fixed_of(loaded, region_id, data, name)))
                for name, title in layouts.LISTS.items()
            },
            qr_codes={m: (title, layouts.qr_of(data, m)) for m, title in layouts.QR_CODES.items()},
            qr_links=layouts.QR_LINKS, records=shown, names=names, results=results,
            build_error=error, who=unquote(request.cookies.get(WHO_COOKIE, "")),
            saved="saved" in request.query_params, cleaned="cleaned" in request.query_params,
            **extra,
        )  # fmt: skip

    def told_apart(names: dict[str, str]) -> dict[str, str]:
        """Each record's name, with its id after it where two records share the name (the
        lists would show two rows alike)."""
        count = Counter(names.values())
        return {rid: f"{name} ({rid})" if count[name] > 1 else name for rid, name in names.items()}

    def part_of(text: str, form: FormData) -> Any:
        """What the form changes, as a text holds it: one list's rows, or a QR code."""
        data = yaml_edit.plain(yaml_edit.load(text))
        if "qr" in form:
            return layouts.qr_of(data, str(form.get("qr", "")))
        return layouts.rows(data, str(form.get("list", "")))

    def same_part(opened: str | None, now: str, form: FormData) -> bool:
        """Whether someone else's save since the page was opened left alone the part this
        form changes (another list, a QR code): then the change is made on their version,
        as a person would make it again, instead of being refused."""
        if opened is None:
            return False
        try:
            return part_of(opened, form) == part_of(now, form)
        except (KeyError, ValueError, TypeError, YAMLError):
            return False

    def part_side_by_side(
        loaded: Content, opened: str | None, now: str, form: FormData
    ) -> tuple[str, list[str], list[str]] | None:
        """(title, the list as the page showed it, the list as it is now), by record name."""
        if opened is None or "qr" in form:
            return None
        name = str(form.get("list", ""))
        try:
            mine, theirs = part_of(opened, form), part_of(now, form)
        except (KeyError, ValueError, TypeError, YAMLError):
            return None

        def named(rows: list[layouts.Row]) -> list[str]:
            return [
                (row.label or str(getattr(loaded.resources.get(row.resource), "label", "")))
                or row.resource
                for row in rows
            ]

        return layouts.LISTS.get(name, name), named(mine), named(theirs)

    def fixed_of(loaded: Content, region_id: str, data: Any, name: str) -> dict[int, str]:
        main_number = loaded.regions[region_id].flyer.tab.resource
        return layouts.fixed_rows(
            name, layouts.rows(data, name), main_number, lambda row: only_911(loaded, row)
        )

    def region_of(request: Request) -> tuple[Content, str, Path]:
        loaded = content(site)
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
        opened = site.versions.get(form_hash)
        if records.digest(before) != form_hash and not same_part(opened, before, form):
            conflict = records.conflict_diff(opened, before, f"regions/{region_id}.yaml")
            file = f"regions/{region_id}.yaml"
            return layout_page(
                request, loaded, region_id, before, conflict=conflict, status_code=409,
                other=conflicts.other_save(site.out, file, before, path),
                side_by_side=part_side_by_side(loaded, opened, before, form),
            )  # fmt: skip
        removed = False
        try:
            if "qr" in form:
                material = str(form.get("qr", ""))
                after = layouts.with_qr(
                    before, material, str(form.get("resource", "")), str(form.get("link", ""))
                )
                what = f"QR code of the {material}"
            else:
                name = str(form.get("list", ""))
                typed = [str(label) for label in form.getlist("label")]
                # A label written as it is in the file was not touched: kept as it is.
                labels = [lab if lab in before else invisible.cleaned(lab) for lab in typed]
                purpose = str(form.get("purpose", "")).strip()
                add = (str(form.get("add", "")), invisible.cleaned(purpose).strip())
                removed = labels != typed or add[1] != purpose
                data = yaml_edit.plain(yaml_edit.load(before))
                fixed = fixed_of(loaded, region_id, data, name)
                action = str(form.get("do", "labels"))
                after = layouts.changed(before, name, action, labels, add, fixed)
                what = layouts.LISTS[name]
        except KeyError:
            return HTMLResponse("No such list.", status_code=404)
        if after == before:
            return RedirectResponse(request.url.path, status_code=303)
        problems = records.content_problems(site.content, f"regions/{region_id}.yaml", after)
        if problems:
            return layout_page(request, loaded, region_id, before, problems=problems,
                               status_code=422)  # fmt: skip
        file = f"regions/{region_id}.yaml"
        try:
            save(site, path, file, before, after, who, f"{what} in {region_id}")
        except Changed as changed:
            now = changed.now or ""
            return layout_page(request, loaded, region_id, now, status_code=409,
                               conflict=records.conflict_diff(before, now, file))  # fmt: skip
        cleaned = "&cleaned=1" if removed else ""
        return RedirectResponse(f"{request.url.path}?saved=1{cleaned}", status_code=303)

    return [
        Route("/edit/layout", answering(layout)),
        Route("/edit/layout/{region}", answering(layout), methods=["GET"]),
        Route("/edit/layout/{region}", answering(layout_save), methods=["POST"]),
    ]
