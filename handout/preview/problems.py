"""A build that failed on some variants (a card that does not fit, a check) while the content
loads: the live preview keeps the gallery on screen (the last good PDFs, and the new ones
the build did make), with the problem in a banner above it, and marks the cards of the
variants that were not updated. Only a mistake that stops everything (the content does not
load) replaces the gallery (see `handout.preview.live.error_page`).

Served only: `index.html` on disk stays the plain gallery.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from handout.build.variant_failures import VariantsFailed
from handout.content.errors import ContentErrors, UserError

VARIANT_AT_START = re.compile(r"([\w-]{1,100})/([\w-]{1,100})/([\w-]{1,100}): ")
"""How a build's message names its variant: "new-milford/es/pocket-card: the back part..."."""
NOT_UPDATED = (
    '<p class="not-updated"><strong>Not updated:</strong> '
    '<a href="#build-error">see the problem above</a>.</p>'
)


def keeps_gallery(error: BaseException, content_loads: bool) -> bool:
    """Whether the gallery stays on screen despite `error`: a mistake of some variants only
    (not the content's, not a bug), and the content loads."""
    return content_loads and isinstance(error, UserError) and not isinstance(error, ContentErrors)


def failures_of(error: UserError) -> list[tuple[tuple[str, ...] | None, str]]:
    """Each variant that failed, as (region, language, material) when the message names
    it, and what is wrong with it (without the variant's name in front)."""
    if isinstance(error, VariantsFailed):
        messages = [message for _variant, message in error.failures]
    else:
        messages = [str(error)]
    found = []
    for message in messages:
        named = VARIANT_AT_START.match(message)
        if named:
            found.append((named.groups(), message[named.end() :]))
        else:
            found.append((None, message))
    return found


def gallery_with_problems(
    page: str, error: UserError, variant_name: Callable[[tuple[str, str, str]], str]
) -> str:
    """The gallery `page` with a banner naming each failed variant and what to do, and each
    failed variant's card marked "Not updated"."""
    failures = failures_of(error)
    items = []
    for variant, message in failures:
        name = f"<strong>{html.escape(variant_name(variant))}:</strong> " if variant else ""  # type: ignore[arg-type]
        items.append(f"    <li>{name}{html.escape(message)}</li>\n")
    marked = 0
    for variant, _message in failures:
        if variant:
            before = page
            page = _marked(page, "-".join(variant))
            marked += page != before
    count = len(failures)
    heading = (
        "This material was not updated" if count == 1 else f"{count} materials were not updated"
    )
    kept = (
        "Until then the card marked <strong>Not updated</strong> below still shows its last "
        "good version; all the other previews are up to date."
        if marked
        else "All the previews below are up to date."
    )
    banner = (
        '<section class="problems" id="build-error" role="alert" '
        'aria-labelledby="build-error-title">\n'
        f'  <h2 id="build-error-title">{heading}</h2>\n'
        f"  <ul>\n{''.join(items)}  </ul>\n"
        "  <p>Change the text in the editor or in its file and save: this page updates by "
        f"itself. {kept}</p>\n"
        "</section>\n"
    )
    at = page.find("</header>")
    at = at + len("</header>") + 1 if at >= 0 else page.find("<main")
    page = page[:at] + banner + page[at:] if at >= 0 else banner + page
    return page


def _marked(page: str, card_id: str) -> str:
    """The card `card_id` ("region-language-material") marked "Not updated", if shown."""
    found = re.search(rf'<article class="variant([^"]*)" id="{re.escape(card_id)}"', page)
    if not found:
        return page
    heading_end = page.find("</h4>", found.end())
    if heading_end < 0:
        return page
    heading_end += len("</h4>")
    page = page[:heading_end] + "\n      " + NOT_UPDATED + page[heading_end:]
    start, end = found.span(1)
    return page[:start] + found.group(1) + " not-updated" + page[end:]
