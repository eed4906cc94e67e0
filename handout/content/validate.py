"""Checks across files: every id a file names must exist and make sense where it is used."""

from __future__ import annotations

import difflib
import re

from pydantic import ValidationError

from handout.content import qr_links
from handout.content.carried import police_problems
from handout.content.errors import Problem
from handout.content.models import (
    BOOKLET_PARTS,
    SEE_REFERENCE,
    Pick,
    QrCode,
    QrLink,
    Region,
    Resource,
    Scope,
)
from handout.content.read import Content, build_model
from handout.content.words import (
    internal_word_problems,
    printed_strings,
    tab_hours_problems,
    tab_label_problems,
)
from handout.content.yaml_file import Location, YamlFile


def reference_problems(content: Content, invalid_ids: set[str] = frozenset()) -> list[Problem]:
    """Every broken reference between files. Works on partly loaded content too: ids in
    `invalid_ids` (records that exist but failed validation) are not reported again."""
    problems: list[Problem] = []
    if content.project is not None:
        problems += _check_project(content)
    if "sections.yaml" in content.files:
        problems += _check_sections(content, invalid_ids)
    for region_id in content.regions:
        source = content.files[f"regions/{region_id}.yaml"]
        problems += _check_region(content, region_id, source, invalid_ids)
        problems += _check_overrides(content, region_id, source, invalid_ids)
        problems += police_problems(content, region_id, source)
        if content.project is not None:  # partly loaded content: reported where it fails
            if content.text is not None:
                problems += tab_label_problems(content, region_id, source)
                problems += tab_hours_problems(content, region_id, source)
            problems += _check_reachable(content, region_id, source, invalid_ids)
    if content.project is not None:
        problems += internal_word_problems(content)
    problems += see_reference_problems(content)
    return problems


def _check_project(content: Content) -> list[Problem]:
    source = content.files["project.yaml"]
    codes = content.project.codes
    problems = []
    if content.project.source_language not in codes:
        problems.append(
            source.problem(
                ("source_language",),
                f"the source language `{content.project.source_language}` is not in `languages`",
                "add it to the list of languages",
            )
        )
    for index, code in enumerate(codes):
        if code in codes[:index]:
            problems.append(
                source.problem(("languages", index), f"`{code}` is listed twice", "remove one")
            )
    for code in content.project.forbidden_on_discreet_front:
        if code not in codes:
            problems.append(
                source.problem(
                    ("forbidden_on_discreet_front", code),
                    f"`{code}` is not one of the languages",
                    f"use one of: {', '.join(codes)}",
                )
            )
    return problems


def _unknown(kind: str, name: str, known: list[str]) -> str:
    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f"did you mean `{guess[0]}`?" if guess else f"check the ids in the {kind} files"
    return hint


def _check_sections(content: Content, invalid_ids: set[str]) -> list[Problem]:
    source = content.files["sections.yaml"]
    problems = []
    for index, section in enumerate(content.sections):
        for block_index, block in enumerate(section.blocks):
            location: Location = ("sections", index, "blocks", block_index)
            for field in ("only_in", "except_in"):
                for item_index, region_id in enumerate(getattr(block, field) or []):
                    if region_id not in content.regions:
                        problems.append(
                            source.problem(
                                (*location, field, item_index),
                                f"no region has the id `{region_id}`",
                                _unknown("region", region_id, sorted(content.regions)),
                            )
                        )
            for field, known in (("resources", content.resources), ("laws", content.laws)):
                for item_index, ref in enumerate(getattr(block, field) or []):
                    if ref not in known and ref not in invalid_ids:
                        problems.append(
                            source.problem(
                                (*location, field, item_index),
                                f"no {'law' if field == 'laws' else 'record'} has the id `{ref}`",
                                _unknown(field, ref, sorted(known)),
                            )
                        )
    return problems


def _check_region(
    content: Content, region_id: str, source: YamlFile, invalid_ids: set[str]
) -> list[Problem]:
    problems = []
    region = content.regions[region_id]
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", region_id):
        problems.append(
            source.problem(
                (),
                f"the file name `{region_id}` is not a valid region id",
                "rename it with lower-case letters, digits and hyphens, e.g. new-milford.yaml",
            )
        )
    known = sorted(content.resources)
    for field, wanted_local in (("include", True), ("exclude", False)):
        for index, ref in enumerate(getattr(region, field)):
            record = content.resources.get(ref)
            if record is None and ref in invalid_ids:
                continue
            if record is None:
                problems.append(
                    source.problem(
                        (field, index),
                        f"no record has the id `{ref}`",
                        _unknown("resource", ref, known),
                    )
                )
            elif (record.scope == Scope.local) != wanted_local:
                fix = (
                    "statewide and national records are shown everywhere; remove it from include"
                    if wanted_local
                    else "local records are only shown when included; remove it from exclude"
                )
                problems.append(
                    source.problem((field, index), f"`{ref}` is a {record.scope} record", fix)
                )
    shown = region_resource_ids(content, region_id)
    picks: list[tuple[Location, Pick]] = []
    picks += [(("pocket_card", "front", i), p) for i, p in enumerate(region.pocket_card.front)]
    picks += [(("pocket_card", "back", i), p) for i, p in enumerate(region.pocket_card.back)]
    picks += [(("discreet_card", "back", i), p) for i, p in enumerate(region.discreet_card.back)]
    picks += [(("flyer", "key_numbers", i), p) for i, p in enumerate(region.flyer.key_numbers)]
    picks.append((("flyer", "tab"), region.flyer.tab))
    for location, pick in picks:
        if pick.resource not in content.resources and pick.resource in invalid_ids:
            continue
        problems += _check_pick(content, pick, shown, source, location)
    for location, code in qr_codes(region):
        if code.resource not in content.resources and code.resource in invalid_ids:
            continue
        problems += _check_qr(content, region_id, code, shown, source, location)
    tab = content.resources.get(region.flyer.tab.resource)
    if tab is not None and not tab.phones:
        problems.append(
            source.problem(
                ("flyer", "tab"), f"`{tab.id}` has no phone number for the tabs", "pick a hotline"
            )
        )
    return problems


def _check_pick(
    content: Content, pick: Pick, shown: set[str], source: YamlFile, location: Location
) -> list[Problem]:
    record = content.resources.get(pick.resource)
    if record is None:
        return [
            source.problem(
                location,
                f"no record has the id `{pick.resource}`",
                _unknown("resource", pick.resource, sorted(content.resources)),
            )
        ]
    if pick.resource not in shown:
        return [
            source.problem(
                location,
                f"`{pick.resource}` is not shown in this region",
                "add it under `include:` (or remove it from `exclude:`)",
            )
        ]
    if pick.purpose and not any(phone.purpose == pick.purpose for phone in record.phones):
        purposes = sorted({p.purpose for p in record.phones if p.purpose})
        return [
            source.problem(
                location,
                f"`{pick.resource}` has no number with purpose `{pick.purpose}`",
                f"use one of: {', '.join(purposes)}" if purposes else "remove `purpose:`",
            )
        ]
    return []


def qr_codes(region: Region) -> list[tuple[Location, QrCode]]:
    """The QR codes a region asks for, with where each is written."""
    layouts = (
        ("pocket_card", region.pocket_card),
        ("flyer", region.flyer),
        ("booklet", region.booklet),
    )
    return [((name, "qr"), layout.qr) for name, layout in layouts if layout.qr is not None]


def _check_qr(
    content: Content,
    region_id: str,
    code: QrCode,
    shown: set[str],
    source: YamlFile,
    location: Location,
) -> list[Problem]:
    """A QR code must name a record shown here that has the link it asks for, short
    enough to print small."""
    pick = Pick(resource=code.resource)
    problems = _check_pick(content, pick, shown, source, (*location, "resource"))
    if problems:
        return problems
    record = _as_shown(content, region_id, code.resource)
    missing = qr_links.link_problem(record, code)
    if missing:
        return [source.problem((*location, "link"), *missing)]
    phone = qr_links.phones_for(record, code)[0] if code.link != QrLink.website else None
    too_long = qr_links.length_problem(qr_links.payload(record, code, phone))
    return [source.problem(location, *too_long)] if too_long else []


def _as_shown(content: Content, region_id: str, record_id: str) -> Resource:
    """A record with the region's overrides, when they are valid (otherwise they are
    reported on their own)."""
    record = content.resources[record_id]
    fields = content.regions[region_id].overrides.get(record_id)
    if not fields or "id" in fields:
        return record
    try:
        return Resource.model_validate({**record.model_dump(exclude_unset=True), **fields})
    except ValidationError:
        return record


def region_resource_ids(content: Content, region_id: str) -> set[str]:
    """The records a region shows: statewide and national ones, plus its included local ones."""
    region = content.regions[region_id]
    everywhere = {rid for rid, r in content.resources.items() if r.scope != Scope.local}
    return (everywhere - set(region.exclude)) | (set(region.include) & set(content.resources))


def _check_overrides(
    content: Content, region_id: str, source: YamlFile, invalid_ids: set[str] = frozenset()
) -> list[Problem]:
    """Each override must name an existing record shown here and leave it a valid record."""
    problems: list[Problem] = []
    shown = region_resource_ids(content, region_id)
    for record_id, fields in content.regions[region_id].overrides.items():
        location: Location = ("overrides", record_id)
        if record_id not in content.resources:
            if record_id not in invalid_ids:  # those are reported where they are written
                problems.append(
                    source.problem(
                        location,
                        f"no record has the id `{record_id}`",
                        _unknown("resource", record_id, sorted(content.resources)),
                    )
                )
            continue
        if record_id not in shown:
            problems.append(
                source.problem(
                    location,
                    f"`{record_id}` is not a record shown in this region",
                    "override only records that the region shows (see include/exclude)",
                )
            )
            continue
        if "id" in fields:
            problems.append(source.problem((*location, "id"), "an override cannot change the id"))
            continue
        merged = {**content.resources[record_id].model_dump(exclude_unset=True), **fields}
        build_model(Resource, merged, source, location, problems)
    return problems


def region_records(content: Content, region_id: str) -> dict[str, Resource]:
    """The records a region shows, in content order, with the region's overrides applied."""
    shown = region_resource_ids(content, region_id)
    return {
        record_id: region_record(content, region_id, record_id)
        for record_id in content.resources
        if record_id in shown
    }


def region_record(content: Content, region_id: str, record_id: str) -> Resource:
    """One record as a region shows it, with the region's overrides applied."""
    record = content.resources[record_id]
    overrides = content.regions[region_id].overrides
    if record_id not in overrides:
        return record
    return Resource.model_validate(
        {**record.model_dump(exclude_unset=True), **overrides[record_id]}
    )


# --- Every entry can be acted on ----------------------------------------------------------


def card_rows(region: Region) -> list[tuple[Location, Pick, bool]]:
    """The rows of a region's cards and flyer: (where, pick, needs a phone number). A flyer
    row prints only numbers; a card row may show a website or a street address instead."""
    rows: list[tuple[Location, Pick, bool]] = []
    rows += [
        (("pocket_card", "front", i), p, False) for i, p in enumerate(region.pocket_card.front)
    ]
    rows += [(("pocket_card", "back", i), p, False) for i, p in enumerate(region.pocket_card.back)]
    rows += [
        (("discreet_card", "back", i), p, False) for i, p in enumerate(region.discreet_card.back)
    ]
    rows += [(("flyer", "key_numbers", i), p, True) for i, p in enumerate(region.flyer.key_numbers)]
    return rows


def _check_reachable(
    content: Content, region_id: str, source: YamlFile, invalid_ids: set[str]
) -> list[Problem]:
    """A row that names a place without a way to reach it tells a reader where help is but
    not how to get it: every row needs something to dial, text or visit, in every language
    (a number may serve only some languages)."""
    problems = []
    shown = region_resource_ids(content, region_id)
    for location, pick, needs_phone in card_rows(content.regions[region_id]):
        if pick.resource not in content.resources or pick.resource not in shown:
            continue  # reported by _check_pick
        record = _as_shown(content, region_id, pick.resource)
        for language in content.project.codes:
            phones = [
                phone
                for phone in record.phones
                if phone.purpose == pick.purpose
                and (phone.languages is None or language in phone.languages)
            ]
            reachable = bool(phones) if needs_phone else record.reachable(phones)
            if reachable:
                continue
            what = "a phone number" if needs_phone else "a phone number, website or street address"
            where = "" if len(content.project.codes) == 1 else f" in `{language}`"
            problems.append(
                source.problem(
                    location,
                    f"`{pick.resource}` has nothing to dial, text or visit{where}: this row "
                    f"needs {what}",
                    f"add {what} to the record `{pick.resource}` (with its source), or choose "
                    "another record for this row",
                )
            )
            break
    return problems


def see_reference_problems(content: Content) -> list[Problem]:
    """Every `{see:id}` must name a section, the directory or the sources, and may stand
    only in the booklet's chapters (sections.yaml): elsewhere there is no chapter to point
    to."""
    problems = []
    known = [section.id for section in content.sections] + list(BOOKLET_PARTS)
    objects: list[tuple[str, object]] = [("materials", content.text)]
    objects += [(f"resource:{rid}", record) for rid, record in content.resources.items()]
    objects += [(f"law:{lid}", law) for lid, law in content.laws.items()]
    objects += [(f"region:{rid}", region) for rid, region in content.regions.items()]
    objects += [(f"section:{section.id}", section) for section in content.sections]
    for place, obj in objects:
        if place not in content.places or obj is None:
            continue
        file, base = content.places[place]
        for path, text in printed_strings(obj, ()):
            for match in SEE_REFERENCE.finditer(text):
                if not place.startswith("section:"):
                    message = f"`{match.group(0)}` points to a chapter, but only the booklet's "
                    message += "chapters (sections.yaml) have chapters to point to"
                    fix = "write the chapter's name in words here"
                elif match.group(1) not in known:
                    message = f"`{match.group(0)}` names no chapter"
                    guess = difflib.get_close_matches(match.group(1), known, n=1, cutoff=0.5)
                    fix = (
                        f"did you mean `{{see:{guess[0]}}}`?"
                        if guess
                        else ("write the id of a section, or directory or sources")
                    )
                else:
                    continue
                problems.append(content.files[file].problem((*base, *path), message, fix))
    return problems
