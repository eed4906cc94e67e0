"""The cards-and-flyer page of a region: the lists each face prints (moved, labelled, added,
removed), each material's QR code, and the fit of the last build. Each save is a minimal
edit of the region file (`handout.editor.layouts`), checked like the command line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from handout.content import yaml_edit
from handout.content.files import Changed
from handout.content.validate import region_resource_ids
from handout.editor import invisible, layouts, records
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
        if records.digest(before) != form_hash:
            conflict = records.conflict_diff(
                site.versions.get(form_hash), before, f"regions/{region_id}.yaml"
            )
            return layout_page(request, loaded, region_id, before, conflict=conflict,
                               status_code=409)  # fmt: skip
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
