"""What a QR code may open: a record's website, or an `sms:` / `tel:` link to one of its
numbers, short enough to print small and still scan.

These are rules on the content (checked when it is loaded, with the place to fix); drawing
the code is the layout's (`handout.layout.qr`). What a code opens always comes from the
content, linked as everywhere else, never from here.
"""

from __future__ import annotations

import functools

import segno

from handout.content import phones
from handout.content.models import Phone, PhoneKind, QrCode, QrLink, Resource

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
    modules = encode(payload).symbol_size(border=0)[0]
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


@functools.cache
def encode(payload: str) -> segno.QRCode:
    """The QR code of `payload`: error correction at least M (segno raises it as far as the
    same size allows), never a Micro QR (many phone cameras cannot read those)."""
    return segno.make(payload, error="m", micro=False)
