"""A region (`regions/<id>.yaml`): the town or area a set of materials is made for, which
records each card and the flyer list and in what order, and the QR codes they print."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from handout.content.models.fields import Id, Prose, Strict, Text, Website, website_url


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


class PhoneDigits(StrEnum):
    western = "western"
    native = "native"


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


class TextMessageLayout(Strict):
    """The numbers of the region's text message (SMS), which outreach workers paste into a
    text: it sits on a phone that whoever controls the reader may read, so its labels are
    neutral, like the discreet card's back (the build checks them)."""

    numbers: PickList = Field(
        min_length=1,
        description="The numbers the message lists, in order, each with a neutral `label:` "
        "(e.g. Help line, Information). Fewer numbers if the message runs too long.",
    )

    _picks = field_validator("numbers", mode="before", json_schema_input_type=PickInput)(_as_picks)


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
    police_on_carried_cards: bool = Field(
        default=False,
        description="true to allow police numbers on what a reader carries (pocket card, "
        "discreet card, tear-off tabs); by default they are refused there, as they put off "
        "people the law treats as criminals. Say why in a comment.",
    )
    phone_digits: PhoneDigits = Field(
        default=PhoneDigits.western,
        description="The digits phone numbers print in: western (0-9, as every phone's keypad "
        "shows them and as people dial them, in every language: the default) or native (the "
        "language's own digits from CLDR, such as Arabic-Indic ٠١٢ in Arabic; Western where "
        "a language has none).",
    )
    web_address: Website | None = Field(
        default=None,
        description="Where this region's phone pages are put online, e.g. "
        "https://example.org/help/new-milford/: the page of each language is its folder "
        "there (…/new-milford/es/, copied from output/new-milford/es/index.html), and the "
        "pocket card's QR code opens it. Empty: the QR code opens `pocket_card.qr`'s link.",
    )
    pocket_card: PocketCardLayout
    discreet_card: DiscreetCardLayout
    flyer: FlyerLayout
    text_message: TextMessageLayout | None = Field(
        default=None,
        description="The numbers of the text message (SMS); by default the discreet card's "
        "back, with its neutral labels.",
    )
    booklet: BookletLayout = Field(
        default_factory=BookletLayout, description="Booklet settings (the cover's QR code)."
    )

    def phone_page_url(self, language: str) -> str | None:
        """The address of this region's phone page in `language`, if it is online."""
        if self.web_address is None:
            return None
        return website_url(self.web_address).rstrip("/") + f"/{language}/"
