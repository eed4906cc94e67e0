"""QR codes: a record's link (its website, or an `sms:` / `tel:` link to one of its numbers),
drawn by segno as vector SVG and put inline in the HTML.

Vector stays sharp at any print size, and inline SVG is neither a file nor a URL, so
rendering still reads nothing and fetches nothing. What a code opens always comes from the
content (the record's website or one of its numbers, linked as everywhere else), never from
here. Regions choose the codes (`qr:` under pocket_card, flyer, booklet); templates choose
their printed size, which may not go below `MIN_SYMBOL_IN`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import segno
from markupsafe import Markup

from handout.content import phones
from handout.content.errors import BuildError
from handout.content.models import Phone, PhoneKind, QrCode, QrLink, Resource

QUIET_ZONE = 4
"""Light modules around the symbol, as the QR standard (ISO/IEC 18004) requires. They are
part of the SVG, so nothing laid out beside the code can come into them."""
MIN_SYMBOL_IN = 0.6
"""The smallest printed QR code (the symbol, without its quiet zone), in inches."""
MIN_MODULE_IN = 0.013
"""About 0.33 mm: the smallest module (one square) that phone cameras read well on paper."""
MAX_MODULES = int(MIN_SYMBOL_IN / MIN_MODULE_IN)
"""The most modules across a code may have, so that even the smallest print reads well."""


def phones_for(record: Resource, code: QrCode) -> list[Phone]:
    """The record's numbers a `tel:` (call) or `sms:` (text) code can open, in content order."""
    kind = PhoneKind.text if code.link == QrLink.sms else PhoneKind.call
    return [p for p in record.phones if p.purpose == code.purpose and kind in p.kind]


def _has_link(record: Resource, code: QrCode) -> bool:
    if code.link == QrLink.website:
        return record.website is not None
    return bool(phones_for(record, code))


def link_problem(record: Resource, code: QrCode) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when `record` has no link of the kind `code` asks for."""
    if _has_link(record, code):
        return None
    if code.link == QrLink.website:
        what = "website"
    else:
        what = "number you can " + ("text" if code.link == QrLink.sms else "call")
        if code.purpose:
            what += f" with purpose `{code.purpose}`"
    others = [
        link.value
        for link in QrLink
        if link != code.link and _has_link(record, code.model_copy(update={"link": link}))
    ]
    fix = (
        f"use `link: {'` or `link: '.join(others)}` (what `{record.id}` has), or another record"
        if others
        else "pick a record that has a website or phone number"
    )
    if code.link == QrLink.website:
        fix += "; or add the record's website, once you have confirmed it"
    return f"`{record.id}` has no {what} for the QR code", fix


def length_problem(payload: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when a link is too long to print as a small QR code:
    the longer the link, the more modules, and the smaller each one is printed."""
    modules = _encode(payload).symbol_size(border=0)[0]
    if modules <= MAX_MODULES:
        return None
    return (
        f"the link {payload} is too long for a QR code that reads well at "
        f"{MIN_SYMBOL_IN:g} in ({modules} squares across, at most {MAX_MODULES})",
        "use a shorter link to the same page (for example the site's home page)",
    )


def payload(record: Resource, code: QrCode, phone: Phone | None) -> str:
    """The link the code opens: the record's website, or `sms:`/`tel:` of its number."""
    if code.link == QrLink.website:
        return record.url or ""
    if phone is None:
        raise ValueError(f"a {code.link} QR code needs a number")
    return phones.uri(phone.number, code.link.value)


@dataclass(frozen=True)
class QrView:
    """A QR code ready to print: what it opens, and how its caption names that."""

    kind: str
    """website, sms or tel."""
    payload: str
    shown: str
    """The website as written, or the number as printed elsewhere."""
    keyword: str | None
    record: Resource

    @classmethod
    def of(cls, record: Resource, code: QrCode, phone: Phone | None) -> QrView:
        shown = record.website if phone is None else phones.display(phone.number)
        keyword = phone.keyword if phone is not None and code.link == QrLink.sms else None
        return cls(code.link.value, payload(record, code, phone), shown or "", keyword, record)

    def svg(self, symbol_in: float, title: str) -> Markup:
        """The code as inline SVG whose symbol prints `symbol_in` inches wide (plus the
        quiet zone); `title` is its text alternative."""
        if symbol_in < MIN_SYMBOL_IN:
            raise BuildError(
                f"a template prints a QR code {symbol_in:g} in wide; QR codes must be at "
                f"least {MIN_SYMBOL_IN:g} in wide to scan well"
            )
        return Markup(svg(self.payload, symbol_in, title))


@functools.cache
def _encode(payload: str) -> segno.QRCode:
    """The QR code of `payload`: error correction at least M (segno raises it as far as the
    same size allows), never a Micro QR (many phone cameras cannot read those)."""
    return segno.make(payload, error="m", micro=False)


@functools.cache
def svg(payload: str, symbol_in: float, title: str) -> str:
    """Inline SVG of `payload`'s QR code: black modules on nothing (the paper), sized in
    inches so the symbol is `symbol_in` wide, with the quiet zone around it."""
    code = _encode(payload)
    modules = code.symbol_size(border=0)[0]
    side = symbol_in * (modules + 2 * QUIET_ZONE) / modules
    inline = code.svg_inline(
        border=QUIET_ZONE, omitsize=True, title=title, svgclass="qr-code", lineclass=None
    )
    return inline.replace("<svg ", f'<svg width="{side:.4f}in" height="{side:.4f}in" ', 1)
