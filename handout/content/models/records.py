"""The content model: what a content folder may say, as typed pydantic models.

One place defines every field, so validation, error messages and (later) the JSON Schema for
editors all come from here. Every model forbids unknown keys: a misspelt key in a YAML file is
the most common editing mistake, and silently ignoring it would drop a fact from print.
"""

from __future__ import annotations

import builtins
import datetime
import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from yarl import URL

from handout.content.errors import excerpt
from handout.content.phones import number_problem

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A record id: lower-case words joined by hyphens, e.g. `ct-safe-connect`."""

HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")
EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _plain_text(value: str) -> str:
    """Content is text, never HTML: a tag typed into a field is a mistake, not markup."""
    if HTML_TAG.search(value):
        raise ValueError(
            "contains what looks like an HTML tag (`<...>`); content is plain text. "
            "Remove the tag; for emphasis write **bold**"
        )
    return value


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_plain_text)
]
"""Text printed as written in every language: names, addresses, sources, keywords."""


class Translate:
    """Marks a field whose English text is translated (extracted into the PO catalogs)."""

    def __repr__(self) -> str:
        return "Translate()"


TRANSLATE = Translate()
Prose = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_plain_text),
    TRANSLATE,
]
"""English text that translators translate: descriptions, notes, everything in sentences."""


def future_date_problem(checked: datetime.date) -> str | None:
    """Why `checked` cannot be a date a fact was checked on, if it is after today."""
    today = datetime.date.today()
    if checked > today:
        return (
            f"{checked.isoformat()} is in the future (today is {today.isoformat()}); "
            "write the day the fact was really checked"
        )
    return None


SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def website_url(written: str) -> str:
    """The absolute `https:` link of a website as written in the content (`211ct.org`,
    `https://211ct.org/find`), normalised by yarl: host in lower case (international
    names in IDNA), the path percent-encoded. Raises ValueError for anything else: another
    scheme, a relative address, a password in the address, a host that is not a domain.

    A link must never be relative: WeasyPrint would resolve it against the templates
    folder, printing a broken `file:///…` link that gives away the build machine's path."""
    text = written.strip()
    if text.startswith("/"):
        raise ValueError(f"`{excerpt(text)}` is not a website address; write it like 211ct.org")
    if not SCHEME.match(text):
        text = "https://" + text
    try:
        url = URL(text)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"`{excerpt(written)}` is not a website address ({excerpt(str(error))}); write it "
            "like 211ct.org"
        ) from None
    if url.scheme != "https":
        raise ValueError(
            f"`{excerpt(written)}` is not an https website address; links are printed as "
            "https, so write the address without `http://` (e.g. 211ct.org) or with https://"
        )
    host = url.raw_host or ""
    if url.user is not None or url.password is not None:
        raise ValueError(f"`{excerpt(written)}` has a user name or password in it; remove it")
    if "." not in host.strip(".") or not WEBSITE_HOST.match(host):
        raise ValueError(f"`{excerpt(written)}` is not a website address; write it like 211ct.org")
    return str(url)


WEBSITE_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+\.?$")


def _website(value: str) -> str:
    website_url(value)
    return value


def _email(value: str) -> str:
    if not EMAIL.match(value):
        raise ValueError(
            f"`{excerpt(value)}` is not an e-mail address; write it like help@example.org"
        )
    return value


Website = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_website)]
Email = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_email)]

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]


class Strict(BaseModel):
    """Base for every content model: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_list(value: Any) -> Any:
    """Let editors write a single item where a list is expected (`kind: call`)."""
    return [value] if isinstance(value, str) else value


class CheckedHow(StrEnum):
    """How a fact was last confirmed. Only `call` lets a material say "confirmed by phone"."""

    call = "call"
    website = "website"
    directory = "directory"
    document = "document"


class Citation(Strict):
    """What a reader is shown as the source of a fact: an organisation or site they can
    look up themselves (never the editors' notes in `source:`)."""

    name: Text = Field(description="The organisation or site, e.g. 'Connecticut General Assembly'.")
    website: Website | None = Field(default=None, description="Its web address, e.g. cga.ct.gov.")


def _as_citations(value: Any) -> Any:
    """`cite: {name: ..., website: ...}` is short for a list of one."""
    return [value] if isinstance(value, dict) else value


class Fact(Strict):
    """Fields every fact carries: where it comes from, when it was checked, and whether it held."""

    source: Text = Field(
        description="Editors' note: where the fact comes from and how good that source is. "
        "Never printed (readers see `cite:`)."
    )
    checked: datetime.date = Field(description="The date someone last confirmed the fact.")
    checked_how: CheckedHow | None = Field(
        default=None,
        description="How it was confirmed: call (someone phoned), website, directory or "
        'document. Materials say "confirmed by phone" only when every fact they show was called.',
    )
    source_year: int | None = Field(
        default=None,
        ge=1900,
        le=2100,
        description="The year the source itself was written (e.g. a 2016 article). An old "
        "source is listed first on the verify sheet even if it was re-checked recently.",
    )
    cite: list[Citation] = Field(
        default_factory=list,
        description="What the booklet prints as the source, for readers: the organisation or "
        "site and its web address (`{name: ..., website: ...}`, or a list of them).",
    )
    verified: bool = Field(
        default=True,
        description="false when the fact could not be confirmed; it is then marked in print.",
    )
    unverified_note: Prose | None = Field(
        default=None, description="What exactly could not be confirmed (printed with the mark)."
    )

    _cite_list = field_validator(
        "cite", mode="before", json_schema_input_type=Citation | list[Citation]
    )(_as_citations)

    @field_validator("checked")
    @classmethod
    def _not_in_the_future(cls, checked: datetime.date) -> datetime.date:
        """A check dated after today would never come due, so the fact would never be
        re-checked."""
        future = future_date_problem(checked)
        if future:
            raise ValueError(future)
        return checked

    @model_validator(mode="after")
    def _note_needs_unverified(self) -> Fact:
        if self.unverified_note and self.verified:
            raise ValueError("unverified_note is set but verified is true; set verified: false")
        return self


class PhoneKind(StrEnum):
    call = "call"
    text = "text"
    tty = "tty"


class Phone(Strict):
    """One number and how to use it. Written once here; every material draws from it."""

    number: Text = Field(description="The number as dialled: '(888) 774-2900', '211', '233733'.")
    kind: Annotated[list[PhoneKind], Field(min_length=1)] = Field(
        description="How to reach it: call, text, tty (one or a list)."
    )
    keyword: Text | None = Field(default=None, description="Word to text, e.g. HELP.")
    purpose: Id | None = Field(
        default=None,
        description="Only when this number (or a menu option) serves one need, such as "
        "shelter: a card can then pick the number by that need.",
    )
    how: Prose | None = Field(default=None, description="Menu steps, e.g. 'press 3, then 1'.")
    note: Prose | None = Field(
        default=None, description="Printed beside the number, e.g. 'from outside Connecticut'."
    )
    hours: Prose | None = Field(default=None, description="When this number answers.")
    languages: list[LanguageCode] | None = Field(
        default=None,
        description="Only when the number serves nobody in other languages: language codes "
        "such as en or es. Materials in other languages leave the number out.",
    )
    answered_in: list[LanguageCode] | None = Field(
        default=None,
        description="Only when the line answers in some languages but should still be "
        "printed in all (a text line is the safest help for someone who is watched): "
        "language codes such as en or es. Say the limit in the Note, e.g. 'texts in English "
        "or Spanish'.",
    )

    _kind_list = field_validator(
        "kind", mode="before", json_schema_input_type=PhoneKind | list[PhoneKind]
    )(_as_list)

    @field_validator("number")
    @classmethod
    def _real_number(cls, number: str) -> str:
        problem = number_problem(number)
        if problem:
            raise ValueError(problem)
        return number

    @model_validator(mode="after")
    def _keyword_needs_text(self) -> Phone:
        if self.keyword and PhoneKind.text not in self.kind:
            raise ValueError("keyword is only for numbers you can text; add 'text' to kind")
        return self


class Scope(StrEnum):
    national = "national"
    statewide = "statewide"
    local = "local"


class Topic(StrEnum):
    emergency = "emergency"
    violence = "violence"
    trafficking = "trafficking"
    health = "health"
    testing = "testing"
    substance_use = "substance-use"
    mental_health = "mental-health"
    basic_needs = "basic-needs"
    housing = "housing"
    legal = "legal"
    jobs = "jobs"
    education = "education"
    police = "police"
    information = "information"


class Resource(Fact):
    """An organisation, office or hotline."""

    id: Id
    name: Prose
    short_name: Prose | None = Field(default=None, description="Name used where space is tight.")
    formerly: Text | None = Field(default=None, description="Old name people may still know.")
    helps_with: Prose = Field(description="What it helps with, in a short plain sentence.")
    scope: Scope = Field(description="national and statewide records are in every region.")
    topics: list[Topic] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)
    hours: Prose | None = None
    website: Website | None = Field(default=None, description="e.g. 211ct.org")
    email: Email | None = None
    address: Text | None = Field(default=None, description="Street and town, as written.")
    area_served: Prose | None = None
    languages: list[Prose] = Field(default_factory=list)
    confidential: bool | None = None
    free: bool | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def street_address(self) -> bool:
        """An address someone can go to: it has a street number, not just a town."""
        return self.address is not None and any(char.isdigit() for char in self.address)

    def reachable(self, phones: list[Phone] | None = None) -> bool:
        """Whether a reader can act on it: a number to dial or text (`phones`, default all
        of its numbers), a website, or a street address."""
        numbers = self.phones if phones is None else phones
        return bool(numbers) or self.website is not None or self.street_address

    @property
    def url(self) -> str | None:
        """The website as an absolute https link."""
        if self.website is None:
            return None
        return website_url(self.website)


class Law(Fact):
    """One legal claim: a statute and what it means, in plain words."""

    id: Id
    title: Prose = Field(description="The offence or remedy, e.g. 'Soliciting sexual acts'.")
    statute: Text = Field(description="e.g. '§ 53a-83'.")
    grade: Prose | None = Field(default=None, description="e.g. 'class A misdemeanor'.")
    summary: Prose = Field(description="What it means for the reader, in plain words.")


class Block(Strict):
    """One piece of a booklet section. Exactly one of its fields is set.

    (`builtins.list` because the field named `list` hides the built-in inside this class.)
    """

    heading: Prose | None = None
    text: Prose | None = None
    list: builtins.list[Prose] | None = None
    steps: builtins.list[Prose] | None = None
    callout: Prose | None = None
    resources: builtins.list[Id] | None = None
    laws: builtins.list[Id] | None = None
    only_in: builtins.list[Id] | None = Field(
        default=None, description="Region ids where this block is printed (default: all)."
    )
    except_in: builtins.list[Id] | None = Field(
        default=None, description="Region ids where this block is not printed."
    )
    source: Text | None = Field(
        default=None,
        description="Editors' note: where a fact stated in this block comes from (never printed).",
    )
    checked: datetime.date | None = Field(default=None, description="When that fact was checked.")
    checked_how: CheckedHow | None = None
    cite: builtins.list[Citation] = Field(
        default_factory=builtins.list,
        description="The source printed for readers in the booklet's sources chapter.",
    )

    _cite_list = field_validator(
        "cite", mode="before", json_schema_input_type=Citation | builtins.list[Citation]
    )(_as_citations)

    NOT_KINDS: ClassVar[tuple[str, ...]] = (
        "only_in",
        "except_in",
        "source",
        "checked",
        "checked_how",
        "cite",
    )

    @classmethod
    def kinds(cls) -> builtins.list[str]:
        return [name for name in cls.model_fields if name not in cls.NOT_KINDS]

    @model_validator(mode="after")
    def _fact_needs_source_and_date(self) -> Block:
        if (self.source is None) != (self.checked is None):
            raise ValueError(
                "a block that states a fact needs both `source:` and `checked:`; "
                "add the missing one"
            )
        return self

    @model_validator(mode="after")
    def _exactly_one(self) -> Block:
        given = [name for name in self.kinds() if getattr(self, name) is not None]
        if len(given) != 1:
            names = ", ".join(self.kinds())
            raise ValueError(f"a block holds exactly one of: {names} (found {len(given)})")
        return self

    @property
    def kind(self) -> str:
        return next(name for name in self.kinds() if getattr(self, name) is not None)

    def shown_in(self, region_id: str) -> bool:
        if self.except_in is not None and region_id in self.except_in:
            return False
        return self.only_in is None or region_id in self.only_in


class Section(Strict):
    id: Id
    title: Prose
    blocks: list[Block] = Field(min_length=1)


class Pick(Strict):
    """A resource placed on a card or flyer; `purpose` narrows it to one of its numbers."""

    resource: Id
    purpose: Id | None = None
    label: Prose | None = Field(default=None, description="Overrides the resource's name here.")


def _as_pick(value: Any) -> Any:
    return {"resource": value} if isinstance(value, str) else value


def _as_picks(value: Any) -> Any:
    """A pick may be written as just the record id."""
    return [_as_pick(item) for item in value] if isinstance(value, list) else value


PickList = list[Pick]
PickInput = list[Id | Pick]


class QrLink(StrEnum):
    website = "website"
    sms = "sms"
    tel = "tel"


class QrCode(Strict):
    """A record's link printed as a QR code, with a caption saying what it opens."""

    resource: Id = Field(description="The record whose link the QR code opens.")
    link: QrLink = Field(
        default=QrLink.website,
        description="website: open the record's website; sms: text its text line; "
        "tel: call its number.",
    )
    purpose: Id | None = Field(
        default=None, description="For sms and tel: use the number with this purpose."
    )


def _qr_field(where: str) -> Any:
    return Field(
        default=None,
        description=f"One record's link as a QR code {where}: "
        "`qr: {resource: ct-211, link: website}` (link: website, sms or tel), "
        "or just the record id for its website.",
    )


def _qr_validator() -> Any:
    """`qr: ct-211` is short for `qr: {resource: ct-211}` (its website)."""
    return field_validator("qr", mode="before", json_schema_input_type=Id | QrCode | None)(_as_pick)


class PocketCardLayout(Strict):
    front: PickList = Field(min_length=1)
    back: PickList = Field(min_length=1)
    qr: QrCode | None = _qr_field("on the card's back")
    _qr = _qr_validator()

    _picks = field_validator("front", "back", mode="before", json_schema_input_type=PickInput)(
        _as_picks
    )


class FlyerLayout(Strict):
    key_numbers: PickList = Field(min_length=1)
    tab: Pick = Field(
        description="The hotline printed on every tear-off tab. Its `label:` replaces the "
        "neutral default (`flyer.tab_label` in materials.yaml); like the discreet card's front, "
        "it must not name what the number is for."
    )
    tab_count: int = Field(default=10, ge=8, le=10)
    qr: QrCode | None = _qr_field("below the numbers")
    _qr = _qr_validator()

    _picks = field_validator("key_numbers", mode="before", json_schema_input_type=PickInput)(
        _as_picks
    )
    _tab = field_validator("tab", mode="before", json_schema_input_type=Id | Pick)(_as_pick)


class DiscreetCardLayout(Strict):
    back: PickList = Field(min_length=1, description="Numbers on the back, with neutral labels.")

    _picks = field_validator("back", mode="before", json_schema_input_type=PickInput)(_as_picks)

    qr: SkipJsonSchema[None] = None
    """Never set: a discreet card has no QR code (see `_no_qr`); kept out of the schema."""

    @field_validator("qr", mode="before")
    @classmethod
    def _no_qr(cls, value: Any) -> None:
        """Anyone who picks the card up could scan a QR code and see which service it
        leads to, which the card's neutral labels are there to hide."""
        raise ValueError(
            "the discreet card has no QR code, on purpose: anyone who picks it up could scan "
            "it and see which service it leads to. Remove `qr:` here; put the QR code on the "
            "pocket card, flyer or booklet instead"
        )


class BookletLayout(Strict):
    qr: QrCode | None = _qr_field("on the cover")
    _qr = _qr_validator()


class Region(Strict):
    """A town or area a set of materials is made for. Its id is its file name."""

    name: Text = Field(description="e.g. 'New Milford'.")
    state: Text = Field(description="e.g. 'Connecticut'.")
    area: Prose = Field(description="Who it serves, e.g. 'New Milford, Danbury and Waterbury'.")
    include: list[Id] = Field(default_factory=list, description="Local records shown here.")
    exclude: list[Id] = Field(
        default_factory=list, description="Statewide or national records not shown here."
    )
    overrides: dict[Id, dict[str, Any]] = Field(
        default_factory=dict,
        description="Fields of a record that differ in this region, by record id "
        "(e.g. `verified: false` where its service here is not confirmed).",
    )
    pocket_card: PocketCardLayout
    discreet_card: DiscreetCardLayout
    flyer: FlyerLayout
    booklet: BookletLayout = Field(
        default_factory=BookletLayout, description="Booklet settings (the cover's QR code)."
    )


class Block3(Strict):
    title: Prose
    text: Prose


class PocketCardText(Strict):
    front_title: Prose
    front_for: Prose
    back_title: Prose


class FlyerText(Strict):
    headline: Prose
    subhead: Prose
    blocks: list[Block3] = Field(min_length=3, max_length=3)
    numbers_title: Prose
    tab_title: Prose
    tab_label: Prose = Field(
        description="The name printed on every tear-off tab: neutral, because a torn-off tab "
        "is carried and may be found (e.g. 'Free, private help, 24/7')."
    )


class BookletText(Strict):
    title: Prose
    subtitle: Prose
    contents_title: Prose
    directory_title: Prose
    directory_intro: Prose
    sources_title: Prose
    sources_intro: Prose
    back_cover: Prose


class DiscreetCardText(Strict):
    """A card that must not give away what it is: its front names no crime, abuse or police."""

    front_title: Prose
    front_text: Prose
    back_title: Prose


class MaterialText(Strict):
    """The wording of each material that is not a fact. `{region}` is replaced by its name."""

    pocket_card: PocketCardText
    discreet_card: DiscreetCardText
    flyer: FlyerText
    booklet: BookletText
    unverified_note: Prose = Field(description="Printed wherever an unverified fact appears.")
    checked_by_phone: Prose = Field(
        description="The date line when every fact a material shows was confirmed by a call "
        "(`checked_how: call`), e.g. 'Numbers confirmed by phone on {date}.'"
    )
    checked_online: Prose = Field(
        description="The date line otherwise, saying how the facts were checked, e.g. "
        "'Facts checked online and in documents on {date}, not by phone.'"
    )
    legal_caveat: Prose = Field(
        description="Printed with every law the materials explain, e.g. 'This is general "
        "information, not legal advice.'"
    )
    draft_note: Prose = Field(description="Printed on translations not yet reviewed.")


class Language(Strict):
    code: LanguageCode = Field(description="ISO 639 code, e.g. es; also the PO file's name.")
    name: Text = Field(description="The language's own name, e.g. Español.")
    reviewed: bool = Field(
        default=False,
        description="true once a native speaker has reviewed the translation; until then "
        "every material in this language says it is a draft.",
    )
    reviewer: Text | None = Field(default=None, description="Who reviewed it, and when.")


class PrintSettings(Strict):
    """How print copies are laid out (`<material>-print.pdf` beside each reading copy)."""

    card_sheet: Literal["avery-5371", "a4"] = Field(
        default="avery-5371",
        description="avery-5371: 10 cards on US Letter (Avery 5371/8371 perforated stock); "
        "a4: 10 cards centred on A4.",
    )
    offset_pt: tuple[float, float] = Field(
        default=(0.0, 0.0),
        description="Calibration [x, y] in points (1/72 in) if a printer shifts the cards: "
        "positive x moves right, positive y moves up.",
    )
    crop_marks: bool = Field(
        default=False, description="true to print cut marks, for plain (not perforated) stock."
    )


class Project(Strict):
    title: Text
    source_language: LanguageCode = Field(
        default="en", description="The language the content files are written in."
    )
    languages: list[Language] = Field(min_length=1)
    print: PrintSettings = Field(default_factory=PrintSettings)
    checked_max_age_months: int = Field(
        default=12, ge=1, description="Facts checked longer ago than this are warnings."
    )
    forbidden_on_discreet_front: dict[LanguageCode, list[Text]] = Field(
        default_factory=dict,
        description="Words the discreet card's front and the flyer's tear-off tabs must never "
        "show, per language.",
    )
    internal_words: list[Text] = Field(
        default_factory=list,
        description="Editors' words that must never be printed (e.g. 'fact-check', 'seed "
        "article'): the build refuses any printed text or translation that holds one.",
    )

    @property
    def codes(self) -> list[str]:
        return [language.code for language in self.languages]

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)


class ResourcesFile(Strict):
    """A file in resources/: a list of records."""

    records: list[Resource]


class LawsFile(Strict):
    """laws.yaml"""

    laws: list[Law]


class SectionsFile(Strict):
    """sections.yaml: the booklet's chapters, in print order."""

    sections: list[Section]
