"""The phone edition: one region's guide in one language as a single HTML page
(`output/<region>/<lang>/index.html`), made from the booklet's composed facts.

The page is self-contained: its style and script are inline, it uses the phone's own
fonts, and its Content Security Policy forbids every request (no font, script, image or
analytics from elsewhere), so it works offline once opened and tells nobody it was read.
Its title and the preview a phone shows for a shared link are the discreet card's neutral
words. The Quick exit button (and Escape) replaces it, history entry included, with the
content set's neutral site (`project.yaml`: `phone_page.quick_exit`).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from handout.content.i18n import Translator
from handout.content.models import website_url
from handout.content.read import Content
from handout.layout.compose import Composer
from handout.layout.html import Templates, with_head
from handout.layout.materials import Material

PHONE_PAGE = Material("phone", 0.0, 0.0)
"""Its template is `phone.html` (with `phone.css` and `phone.js` put inline)."""
MAX_BYTES = 150_000
"""What a page may weigh: it opens at once on a slow connection and a small data plan."""


@dataclass(frozen=True)
class PhonePage:
    html: str
    neutral_title: str

    @property
    def data(self) -> bytes:
        return self.html.encode("utf-8")


def phone_page(
    content: Content, region_id: str, translator: Translator, templates: Templates
) -> PhonePage:
    """The phone page of `region_id` in the translator's language."""
    composer = Composer(content, region_id, translator)
    context = composer.booklet()
    title = translator.gettext(content.text.discreet_card.back_title)
    script = _read(templates.folder / "phone.js")
    context |= {
        "neutral_title": title,
        "quick_exit": website_url(content.project.phone_page.quick_exit),
        "security_policy": security_policy(script),
        "page_numbers": False,
    }
    html = templates.html(PHONE_PAGE, context)
    style = _read(templates.folder / "phone.css")
    html = with_head(html, f"<style>\n{style}</style>")
    html = html.replace("</body>", f"<script>\n{script}</script>\n</body>", 1)
    return PhonePage(html, title)


def security_policy(script: str) -> str:
    """A Content Security Policy that lets the page run only its own inline script and
    style and load nothing at all: no request leaves the phone, even if a fact's text
    held markup that got through."""
    digest = base64.b64encode(hashlib.sha256(f"\n{script}".encode()).digest()).decode()
    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
