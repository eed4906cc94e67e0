"""Build what each material shows for one region: its entries, the facts behind them,
which of those are unverified, and the oldest check date among them.

Templates only lay out what this module hands them, so what a PDF prints and what the
build reports about it (unverified facts, check date) can never disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from babel.dates import format_date

from handout import phones
from handout.load import Content
from handout.models import Fact, Law, Phone, PhoneKind, Pick, Resource, Section
from handout.validate import region_resource_ids


@dataclass(frozen=True)
class PhoneView:
    """A number ready to print: its display form, links and how to use it."""

    display: str
    call: bool
    text: bool
    tty: bool
    keyword: str | None
    how: str | None
    note: str | None
    hours: str | None
    tel: str
    sms: str

    @classmethod
    def of(cls, phone: Phone) -> PhoneView:
        return cls(
            display=phones.display(phone.number),
            call=PhoneKind.call in phone.kind,
            text=PhoneKind.text in phone.kind,
            tty=PhoneKind.tty in phone.kind,
            keyword=phone.keyword,
            how=phone.how,
            note=phone.note,
            hours=phone.hours,
            tel=phones.uri(phone.number, "tel"),
            sms=phones.uri(phone.number, "sms"),
        )

    @property
    def verbs(self) -> str:
        """'Call', 'Text' or 'Call or text' (TTY is said in the note)."""
        words = [word for word, on in (("call", self.call), ("text", self.text)) if on]
        return " or ".join(words).capitalize() or "TTY"


@dataclass(frozen=True)
class Entry:
    """A resource as placed on a card or flyer (one pick)."""

    label: str
    resource: Resource
    phones: list[PhoneView]


@dataclass
class View:
    """Everything one material of one region shows, plus the facts it relies on."""

    region_id: str
    region_name: str
    language: str
    facts: list[Fact] = field(default_factory=list)

    def uses(self, *facts: Fact) -> None:
        for fact in facts:
            if all(fact is not seen for seen in self.facts):
                self.facts.append(fact)

    @property
    def unverified(self) -> list[Fact]:
        return [fact for fact in self.facts if not fact.verified]

    @property
    def oldest_check(self) -> datetime.date:
        return min(fact.checked for fact in self.facts)

    def date(self, value: datetime.date) -> str:
        return format_date(value, "long", locale=self.language)


def fill(text: str, **values: str) -> str:
    """Replace `{name}` placeholders; other braces are left alone."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _entry(content: Content, pick: Pick, view: View) -> Entry:
    record = content.resources[pick.resource]
    view.uses(record)
    if pick.purpose:
        chosen = [p for p in record.phones if p.purpose == pick.purpose]
    else:
        chosen = [p for p in record.phones if p.purpose is None]
    return Entry(pick.label or record.label, record, [PhoneView.of(p) for p in chosen])


def region_resources(content: Content, region_id: str) -> list[Resource]:
    """The region's records in a stable order (as listed in the content files)."""
    shown = region_resource_ids(content, region_id)
    return [record for rid, record in content.resources.items() if rid in shown]


def pocket_card(content: Content, region_id: str, language: str) -> dict:
    region = content.regions[region_id]
    view = View(region_id, region.name, language)
    front = [_entry(content, pick, view) for pick in region.pocket_card.front]
    back = [_entry(content, pick, view) for pick in region.pocket_card.back]
    return {"view": view, "region": region, "front": front, "back": back}


def flyer(content: Content, region_id: str, language: str) -> dict:
    region = content.regions[region_id]
    view = View(region_id, region.name, language)
    numbers = [_entry(content, pick, view) for pick in region.flyer.key_numbers]
    tab = _entry(content, region.flyer.tab, view)
    return {"view": view, "region": region, "numbers": numbers, "tab": tab}


@dataclass(frozen=True)
class SectionView:
    section: Section
    anchor: str


def booklet(content: Content, region_id: str, language: str) -> dict:
    """The booklet: every section, the region's directory and the sources of all its facts."""
    region = content.regions[region_id]
    view = View(region_id, region.name, language)
    shown = {record.id: record for record in region_resources(content, region_id)}
    sections = [SectionView(section, f"section-{section.id}") for section in content.sections]
    law_ids = [
        law_id for s in content.sections for block in s.blocks for law_id in block.laws or []
    ]
    laws: list[Law] = [content.laws[law_id] for law_id in dict.fromkeys(law_ids)]
    directory = sorted(shown.values(), key=lambda record: record.name.casefold())
    key_numbers = [_entry(content, pick, view) for pick in region.pocket_card.front]
    view.uses(*directory)
    view.uses(*laws)
    return {
        "view": view,
        "region": region,
        "sections": sections,
        "resources": shown,
        "laws": content.laws,
        "directory": directory,
        "key_numbers": key_numbers,
        "sources": [*directory, *laws],
    }


COMPOSERS = {"pocket-card": pocket_card, "flyer": flyer, "booklet": booklet}
