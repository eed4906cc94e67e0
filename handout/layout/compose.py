"""Build what each material shows for one region and language: its entries, the facts behind
them, which of those are unverified, the oldest check date, and the translated texts.

Templates only lay out what this module hands them, so what a PDF prints and what the
build reports about it (unverified facts, check date, translation state) cannot disagree.
"""

from __future__ import annotations

import datetime
import functools
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from handout.content import phones, qr_links
from handout.content.i18n import Translated, Translator
from handout.content.models import (
    Block,
    CheckedHow,
    Fact,
    Law,
    Phone,
    PhoneDigits,
    PhoneKind,
    Pick,
    QrCode,
    QrLink,
    Resource,
)
from handout.content.read import Content
from handout.content.validate import region_record, region_records
from handout.layout import dates, qr
from handout.layout.names import proper_names, without_bracket
from handout.layout.sources import source_groups


@dataclass(frozen=True)
class PhoneView:
    """A number ready to print: its display form and links; its notes are translated when
    a template prints them (so a variant records only the texts it really shows)."""

    phone: Phone
    translate: Callable[[str], str]
    digits: str = phones.WESTERN_DIGITS
    """The digits the number prints in (the region's `phone_digits`); links keep 0-9."""

    def _tr(self, value: str | None) -> str | None:
        return None if value is None else self.translate(value)

    @property
    def display(self) -> str:
        return phones.in_digits(phones.display(self.phone.number), self.digits)

    call = property(lambda self: PhoneKind.call in self.phone.kind)
    text = property(lambda self: PhoneKind.text in self.phone.kind)
    tty = property(lambda self: PhoneKind.tty in self.phone.kind)
    keyword = property(lambda self: self.phone.keyword)
    tel = property(lambda self: phones.uri(self.phone.number, "tel"))
    sms = property(lambda self: phones.uri(self.phone.number, "sms"))

    @property
    def sms_with_keyword(self) -> str:
        """An `sms:` link that opens a message holding the keyword, ready to send."""
        if not self.phone.keyword:
            return self.sms
        return f"{self.sms}?body={urllib.parse.quote(self.phone.keyword)}"

    how = property(lambda self: self._tr(self.phone.how))
    note = property(lambda self: self._tr(self.phone.note))
    answered_in = property(lambda self: self.phone.answered_in or [])
    hours = property(lambda self: self._tr(self.phone.hours))


def served_in(phone: Phone, language: str) -> bool:
    """A number whose service does not speak the reader's language is left out."""
    return phone.languages is None or language in phone.languages


@dataclass(frozen=True)
class Entry:
    """A resource as placed on a card or flyer (one pick)."""

    label: str
    resource: Translated
    phones: list[PhoneView]


@dataclass
class View:
    """Everything one variant shows, plus the facts it relies on and its translator."""

    region_id: str
    region_name: str
    translator: Translator
    draft: bool
    digits: str = phones.WESTERN_DIGITS
    """The digits phone numbers print in (the region's `phone_digits`)."""
    facts: list[Fact] = field(default_factory=list)
    hows: list[CheckedHow | None] = field(default_factory=list)
    """How each fact the variant shows was checked (records, laws and booklet texts)."""
    _seen: set[int] = field(default_factory=set, repr=False)
    """ids of `facts`: a booklet with thousands of records must not compare each new fact
    with every one already listed."""

    @property
    def language(self) -> str:
        return self.translator.language

    def uses(self, *facts: Fact) -> None:
        for fact in facts:
            if id(fact) not in self._seen:
                self._seen.add(id(fact))
                self.facts.append(fact)
                self.hows.append(fact.checked_how)

    @property
    def all_called(self) -> bool:
        """Whether every fact shown was confirmed by a phone call: only then may the
        material say its numbers were confirmed by phone."""
        return bool(self.hows) and all(how == CheckedHow.call for how in self.hows)

    @property
    def unverified(self) -> list[Fact]:
        return [fact for fact in self.facts if not fact.verified]

    @property
    def oldest_check(self) -> datetime.date:
        """The date the material says its facts were checked: that of the oldest confirmed
        fact. A fact not confirmed was not checked (an undated import's `checked` is the day
        it was imported), so it counts only when nothing shown was confirmed."""
        confirmed = [fact.checked for fact in self.facts if fact.verified]
        return min(confirmed or [fact.checked for fact in self.facts])

    def date(self, value: datetime.date) -> str:
        """A date written the reader's way ("November 27, 2026", "27 de noviembre de 2026")."""
        return dates.long_date(value, self.language)

    def month(self, value: datetime.date) -> str:
        """A month written the reader's way ("November 2026", "noviembre de 2026")."""
        return dates.month_year(value, self.language)

    def reachable(self, record: Resource | Translated) -> bool:
        """Whether the reader has a number (in their language), website or street address."""
        original = record.original if isinstance(record, Translated) else record
        numbers = [phone for phone in original.phones if served_in(phone, self.language)]
        return original.reachable(numbers)

    def heading(self, record: Resource | Translated) -> str:
        """The name a record is listed under: an organisation's own name as it writes it
        (readers search for it), or a generic name ("Emergency") in the reader's language."""
        original = record.original if isinstance(record, Translated) else record
        if original.generic_name:
            return self.translator.gettext(original.name)
        return original.name

    def gloss(self, record: Resource | Translated) -> str | None:
        """What an organisation's name says, in the reader's language, printed once below
        the name: without the name's own bracket ("(CIRI)"), so brackets never nest, and
        nothing where the translation is the name itself."""
        original = record.original if isinstance(record, Translated) else record
        if original.generic_name or self.translator.is_source:
            return None
        translated = without_bracket(self.translator.gettext(original.name))
        if translated == without_bracket(original.name):
            self.translator.shown_as(original.name, original.name)
            return None
        self.translator.shown_as(original.name, translated)
        return translated

    def phones(self, record: Resource | Translated) -> list[PhoneView]:
        """The numbers of a record that serve this language, ready to print."""
        original = record.original if isinstance(record, Translated) else record
        return [
            PhoneView(phone, self.translator.gettext, self.digits)
            for phone in original.phones
            if served_in(phone, self.language)
        ]


def fill(text: str, **values: str) -> str:
    """Replace `{name}` placeholders; other braces are left alone."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


class Composer:
    """Builds each material's template context for one region and language."""

    def __init__(self, content: Content, region_id: str, translator: Translator) -> None:
        self.content = content
        self.region_id = region_id
        self.region = content.regions[region_id]
        self.picked: dict[str, Resource] = {}
        self.tr = translator
        language = content.project.language(translator.language)
        self.draft = not translator.is_source and not language.reviewed

    def translated(self, obj: object) -> Translated:
        return Translated(obj, self.tr.gettext)

    def view(self) -> View:
        return View(self.region_id, self.region.name, self.tr, self.draft, self.digits)

    @property
    def digits(self) -> str:
        """The digits this region's phone numbers print in, in this language."""
        if self.region.phone_digits == PhoneDigits.native:
            return phones.native_digits(self.tr.language)
        return phones.WESTERN_DIGITS

    def context(self, view: View, **parts: object) -> dict:
        return {
            "view": view,
            "region": self.region,
            "text": self.translated(self.content.text),
            "_": self.tr.gettext,
            "proper_names": self.proper_names(view),
            "source_language": self.content.project.source_language,
            **parts,
        }

    @functools.cached_property
    def records(self) -> dict[str, Resource]:
        """Every record the region shows (the booklet's directory)."""
        return region_records(self.content, self.region_id)

    def record(self, record_id: str) -> Resource:
        """One record the region shows, as it shows it: a card resolves only the records it
        prints, not a statewide directory's 10,000."""
        if "records" in self.__dict__:
            return self.records[record_id]
        if record_id not in self.picked:
            self.picked[record_id] = region_record(self.content, self.region_id, record_id)
        return self.picked[record_id]

    def proper_names(self, view: View) -> list[str]:
        """The names kept as written: of the records a card prints, or of all (booklet)."""
        everything = "records" in self.__dict__
        used = None if everything else [f for f in view.facts if isinstance(f, Resource)]
        return proper_names(self.content, self.region_id, used)

    def entry(self, pick: Pick, view: View) -> Entry:
        record = self.record(pick.resource)
        view.uses(record)
        chosen = [
            phone
            for phone in record.phones
            if phone.purpose == pick.purpose and served_in(phone, view.language)
        ]
        label = self.tr.gettext(pick.label) if pick.label else self.translated(record).label
        numbers = [PhoneView(p, self.tr.gettext, view.digits) for p in chosen]
        return Entry(label, self.translated(record), numbers)

    def tab(self, view: View) -> Entry:
        """The tear-off tab: the hotline's numbers under a neutral label (the region's own
        `label:`, or `flyer.tab_label`), never the hotline's name: a torn-off tab is carried
        and may be found by whoever watches the reader."""
        pick = self.region.flyer.tab
        entry = self.entry(pick, view)
        label = self.tr.gettext(pick.label or self.content.text.flyer.tab_label)
        hours = next((phone.hours for phone in entry.phones if phone.hours), None)
        if hours is not None:  # "{hours}" comes from the number's own, sourced hours
            label = fill(label, hours=hours)
        return Entry(label, entry.resource, entry.phones)

    def qr_code(self, code: QrCode | None, view: View) -> qr.QrView | None:
        """The QR code a material prints, if the region asks for one. Like the number it
        opens, an sms: or tel: code is left out where that number does not serve the
        reader's language."""
        if code is None:
            return None
        record = self.record(code.resource)
        phone = None
        if code.link != QrLink.website:
            served = [p for p in qr_links.phones_for(record, code) if served_in(p, view.language)]
            if not served:
                return None
            phone = served[0]
        view.uses(record)
        return qr.QrView.of(record, code, phone)

    @property
    def primary_id(self) -> str:
        """The region's primary number: the hotline of the flyer's tear-off tabs. Every
        material leads with it, at the largest size, the way hotline wallet cards and
        posters lead with one number."""
        return self.region.flyer.tab.resource

    def pocket_card(self) -> dict:
        view = self.view()
        front = [self.entry(pick, view) for pick in self.region.pocket_card.front]
        back = [self.entry(pick, view) for pick in self.region.pocket_card.back]
        page = self.region.phone_page_url(self.tr.language)
        code = qr.QrView.page(page) if page else self.qr_code(self.region.pocket_card.qr, view)
        primary, others = lead(front, self.primary_id)
        emergency, others = split_emergency(others)
        return self.context(
            view,
            front=front,
            primary=primary,
            emergency=emergency,
            others=others,
            back=back,
            qr=code,
        )

    def discreet_card(self) -> dict:
        view = self.view()
        back = [self.entry(pick, view) for pick in self.region.discreet_card.back]
        primary, others = lead(back, self.primary_id)
        return self.context(view, back=back, primary=primary, others=others)

    def flyer(self, tabs: bool = True) -> dict:
        """The flyer's numbers, and its tear-off tab unless `tabs` is false (large print
        has none: then the tab's texts are translated only where its entry leads)."""
        view = self.view()
        numbers = [self.entry(pick, view) for pick in self.region.flyer.key_numbers]
        primary, others = lead(numbers, self.primary_id)
        tab = self.tab(view) if tabs or primary is None else None
        code = self.qr_code(self.region.flyer.qr, view)
        if primary is None:
            primary = tab
        emergency, others = split_emergency(others)
        return self.context(
            view,
            numbers=numbers,
            primary=primary,
            emergency=emergency,
            others=others,
            tab=tab,
            qr=code,
        )

    def large_print_flyer(self) -> dict:
        return self.flyer(tabs=False)

    def large_print_booklet(self) -> dict:
        return self.booklet(wallet=False)

    def booklet(self, wallet: bool = True) -> dict:
        """Every section with its helpers, one A-Z directory of the region's records (each
        with its source), the sources of the laws and chapters (grouped by source), the
        cover's numbers and, with `wallet`, the cut-out card's (the discreet card's neutral
        labels; large print has no card)."""
        view = self.view()
        sections = [
            (section, [b for b in section.blocks if b.shown_in(self.region_id)])
            for section in self.content.sections
        ]
        law_ids = [law_id for _s, blocks in sections for b in blocks for law_id in b.laws or []]
        laws: list[Law] = [self.content.laws[law_id] for law_id in dict.fromkeys(law_ids)]
        directory = sorted(self.records.values(), key=lambda r: view.heading(r).casefold())
        key_numbers = [self.entry(pick, view) for pick in self.region.pocket_card.front]
        primary, others = lead(key_numbers, self.primary_id)
        emergency, others = split_emergency(others)
        card = self.region.discreet_card.back if wallet else []
        wallet_entries = [self.entry(pick, view) for pick in card]
        wallet_lead, wallet_others = lead(wallet_entries, self.primary_id)
        wallet_emergency, wallet_others = split_emergency(wallet_others)
        code = self.qr_code(self.region.booklet.qr, view)
        view.uses(*directory, *laws)
        cited: list[tuple[str, Block]] = [
            (self.tr.gettext(section.title), block)
            for section, blocks in sections
            for block in blocks
            if block.source is not None
        ]
        view.hows += [block.checked_how for _title, block in cited]
        booklet_text = self.content.text.booklet
        chapters = {
            section.id: (self.tr.gettext(section.title), f"section-{section.id}")
            for section, _blocks in sections
        }
        chapters["directory"] = (self.tr.gettext(booklet_text.directory_title), "directory")
        chapters["sources"] = (self.tr.gettext(booklet_text.sources_title), "sources")
        # The records' sources are printed in their directory entries; the laws' and the
        # chapters' here, each source once.
        facts: list[tuple[str, Fact | Block]] = [
            (f"{self.tr.gettext(law.title)}, {law.statute}", law) for law in laws
        ]
        return self.context(
            view,
            sections=[
                {
                    "id": section.id,
                    "anchor": f"section-{section.id}",
                    "title": self.tr.gettext(section.title),
                    "blocks": [self.translated(block) for block in blocks],
                }
                for section, blocks in sections
            ],
            resources={rid: self.translated(record) for rid, record in self.records.items()},
            laws={law.id: self.translated(law) for law in laws},
            chapters=chapters,
            directory=[self.translated(record) for record in directory],
            sources=source_groups([*facts, *cited]),
            key_numbers=key_numbers,
            primary=primary,
            emergency=emergency,
            others=others,
            wallet_lead=wallet_lead,
            wallet_emergency=wallet_emergency,
            wallet_others=wallet_others,
            qr=code,
        )


def lead(entries: list[Entry], primary_id: str) -> tuple[Entry | None, list[Entry]]:
    """The entry that leads a face, and the others in order: the region's primary number
    if the face shows it, else its first entry with a number other than 911 (which is
    set apart), else none."""
    primary = next((e for e in entries if e.resource.original.id == primary_id), None)
    if primary is None:
        primary = next(
            (e for e in entries if e.phones and not _only_emergency(e)),
            None,
        )
    return primary, [e for e in entries if e is not primary]


def _only_emergency(entry: Entry) -> bool:
    return all(p.phone.number == EMERGENCY_NUMBER for p in entry.phones)


EMERGENCY_NUMBER = "911"
"""The US emergency number; an entry whose only number it is gets set apart ("In danger
now: 911") rather than listed among the others."""


def split_emergency(entries: list[Entry]) -> tuple[Entry | None, list[Entry]]:
    """The emergency entry (only 911) and the others, in order."""
    emergency = next((e for e in entries if e.phones and _only_emergency(e)), None)
    return emergency, [e for e in entries if e is not emergency]


def compose(content: Content, region_id: str, material: str, translator: Translator) -> dict:
    """The template context of one variant."""
    composer = Composer(content, region_id, translator)
    return getattr(composer, material.replace("-", "_"))()
