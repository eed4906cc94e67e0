"""QR codes: a record's link (its website, or an `sms:` / `tel:` link to one of its numbers),
drawn by segno as vector SVG and put inline in the HTML.

Vector stays sharp at any print size, and inline SVG is neither a file nor a URL, so
rendering still reads nothing and fetches nothing. What a code opens always comes from the
content (see `handout.content.qr_links`), never from here. Regions choose the codes (`qr:`
under pocket_card, flyer, booklet); templates choose their printed size, which may not go
below `MIN_SYMBOL_IN`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from markupsafe import Markup

from handout.content import phones
from handout.content.errors import BuildError
from handout.content.models import Phone, QrCode, QrLink, Resource
from handout.content.qr_links import MIN_SYMBOL_IN, encode, payload

QUIET_ZONE = 4
"""Light modules around the symbol, as the QR standard (ISO/IEC 18004) requires. They are
part of the SVG, so nothing laid out beside the code can come into them."""


@dataclass(frozen=True)
class QrView:
    """A QR code ready to print: what it opens, and how its caption names that."""

    kind: str
    """website, sms or tel."""
    payload: str
    shown: str
    """The website as written, or the number as printed elsewhere."""
    keyword: str | None
    record: Resource | None
    """The record whose link it opens (None for the region's own phone page)."""

    @classmethod
    def of(cls, record: Resource, code: QrCode, phone: Phone | None) -> QrView:
        shown = record.website if phone is None else phones.display(phone.number)
        keyword = phone.keyword if phone is not None and code.link == QrLink.sms else None
        return cls(code.link.value, payload(record, code, phone), shown or "", keyword, record)

    @classmethod
    def page(cls, url: str) -> QrView:
        """A code that opens the region's phone page (its `web_address`), for this language.
        Its caption names the site only: a card has no room for a whole path, and the
        code (and the printed link) hold the full address."""
        host = url.removeprefix("https://").split("/")[0]
        return cls("website", url, host, None, None)

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
def svg(payload: str, symbol_in: float, title: str) -> str:
    """Inline SVG of `payload`'s QR code: black modules on nothing (the paper), sized in
    inches so the symbol is `symbol_in` wide, with the quiet zone around it."""
    code = encode(payload)
    modules = code.symbol_size(border=0)[0]
    side = symbol_in * (modules + 2 * QUIET_ZONE) / modules
    inline = code.svg_inline(
        border=QUIET_ZONE, omitsize=True, title=title, svgclass="qr-code", lineclass=None
    )
    return inline.replace("<svg ", f'<svg width="{side:.4f}in" height="{side:.4f}in" ', 1)
