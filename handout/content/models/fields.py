"""The building blocks of the content model: the kinds of text a field holds (printed as
written, or translated), web and e-mail addresses, and the fields every fact carries (its
source, when and how it was checked, whether it held).

Every model forbids unknown keys (`Strict`): a misspelt key in a YAML file is the most
common editing mistake, and silently ignoring it would drop a fact from print.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from yarl import URL

from handout.content.errors import excerpt

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
    local = _not_public(host)
    if local:
        raise ValueError(
            f"`{excerpt(written)}` is {local}, not a public website: a reader's phone cannot "
            "open it (and it may be the editor or another program on this computer); write "
            "the organisation's public website, like 211ct.org"
        )
    return str(url)


WEBSITE_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+\.?$")
NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
"""A last label that makes a browser read the whole host as an IPv4 address (WHATWG URL
standard): `127.0.0.1`, but also `127.1` and `0x7f.1`."""
LOCAL_NAMES = ("localhost", "local", "localdomain", "internal", "intranet", "lan", "home.arpa")
"""Names that only mean something on one computer or one private network (RFC 6761,
RFC 6762, RFC 8375 and the suffixes routers and companies use)."""


def _not_public(host: str) -> str | None:
    """What kind of non-public address `host` is (None for a public domain name). A printed
    website must be a name anyone can open: an IP address, above all a loopback or private
    one such as `127.0.0.1:8000/edit`, is a page on the editor's computer or its network."""
    name = host.rstrip(".")
    if NUMERIC_LABEL.match(name.rsplit(".", 1)[-1]):
        return "an IP address"
    if any(name == suffix or name.endswith("." + suffix) for suffix in LOCAL_NAMES):
        return "a name for this computer or a private network"
    return None


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

LANGUAGE_CODE = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?([-_]([A-Z]{2}|[0-9]{3}))?$"
"""A language code: ISO 639 (`es`), with a script (`zh-Hans`) and a country or area
(`fa-AF`, `pt_BR`) where the language needs them (BCP 47; `_` also taken before a
country, as gettext writes it)."""

LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_CODE)]


class Strict(BaseModel):
    """Base for every content model: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def as_list(value: Any) -> Any:
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


def as_citations(value: Any) -> Any:
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
    )(as_citations)

    @field_validator("checked", mode="before")
    @classmethod
    def _a_written_date(cls, checked: object) -> object:
        """Pydantic would read a number as seconds since 1970 (`checked: 0` as 1970-01-01):
        a date must be written as one."""
        if isinstance(checked, bool | int | float):
            raise ValueError(
                f"{checked!r} is a number, not a date: write the date as YYYY-MM-DD, "
                "like 2026-12-06"
            )
        return checked

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
