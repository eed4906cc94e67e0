"""Records and laws: the organisations, offices and hotlines a material lists, with their
numbers, and the laws the booklet explains (`resources/*.yaml`, `laws.yaml`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from handout.content.models.fields import (
    Email,
    Fact,
    Id,
    LanguageCode,
    Prose,
    Strict,
    Text,
    Website,
    as_list,
    website_url,
)
from handout.content.phones import number_problem


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
    )(as_list)

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
    generic_name: bool = Field(
        default=False,
        description="true when `name` describes the service instead of naming an "
        "organisation (e.g. 'Emergency (police, fire, ambulance)'): other languages then print "
        "its translation alone. An organisation's own name is printed as written, with its "
        "translation below it as a short gloss.",
    )
    helps_with: Prose = Field(description="What it helps with, in a short plain sentence.")
    scope: Scope = Field(description="national and statewide records are in every region.")
    topics: list[Topic] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)
    hours: Prose | None = None
    website: Website | None = Field(default=None, description="e.g. 211ct.org")
    other_websites: list[Website] = Field(
        default_factory=list, description="More websites; the booklet prints them after it."
    )
    email: Email | None = None
    address: Text | None = Field(default=None, description="Street and town, as written.")
    area_served: Prose | None = None
    languages: list[Prose] = Field(default_factory=list)
    confidential: bool | None = None
    free: bool | None = None
    alert: Prose | None = Field(
        default=None,
        description="A short-term warning printed beside the entry, e.g. 'Closed until "
        "March 3; call first'. Remove it when it no longer holds.",
    )
    minimum_age: int | None = Field(
        default=None, ge=0, le=120, description="The youngest age served: 'ages 18 and over'."
    )
    maximum_age: int | None = Field(
        default=None,
        ge=0,
        le=120,
        description="The oldest age served: 'ages 12 to 17', or 'under 18' for 17 alone.",
    )

    @model_validator(mode="after")
    def _ages_in_order(self) -> Resource:
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            raise ValueError(
                f"minimum_age ({self.minimum_age}) is more than maximum_age "
                f"({self.maximum_age}); swap them"
            )
        return self

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
    def other_links(self) -> list[tuple[str, str]]:
        """The other websites as (shown, absolute https link)."""
        return [(site, website_url(site)) for site in self.other_websites]

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


class ResourcesFile(Strict):
    """A file in resources/: a list of records."""

    records: list[Resource]


class LawsFile(Strict):
    """laws.yaml"""

    laws: list[Law]
