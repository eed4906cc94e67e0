"""HTML from the Jinja2 templates (no WeasyPrint here, so it is cheap to import)."""

from __future__ import annotations

import re
import traceback
from collections import OrderedDict
from pathlib import Path

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape
from yarl import URL

from handout.content.errors import BuildError, excerpt
from handout.content.models import SEE_REFERENCE
from handout.layout.compose import fill
from handout.layout.materials import Material
from handout.layout.scripts import writing
from handout.layout.typography import (
    document_language,
    isolated_latin_text,
    isolated_ltr,
    typeset,
)
from handout.layout.unbreakable import unbreakable_html


def fill_markup(text: str, **values: Markup) -> Markup:
    """Escape a (translated) text, then put markup in its `{name}` placeholders.

    Lets a translator reorder "Text {keyword} to {number}" while the keyword stays bold
    and the number stays a link.
    """
    result = str(escape(text))
    for name, value in values.items():
        result = result.replace("{" + name + "}", str(value))
    return Markup(result)


BOLD = re.compile(r"\*\*(.+?)\*\*")


def markup(text: str) -> Markup:
    """The one markup content may use: **bold**. Everything else is escaped as text."""
    return Markup(BOLD.sub(r"<strong>\1</strong>", str(escape(text))))


@jinja2.pass_context
def prose(context: jinja2.runtime.Context, text: str) -> Markup:
    """A text of the booklet's chapters: **bold**, and each `{see:id}` as a link to that
    chapter (or the directory or the sources) printed as its title in the
    reader's language, with the page it starts on (unless `page_numbers` is false: the phone
    page). A reference to a part this booklet does
    not have is an error: it would send the reader nowhere."""
    chapters: dict[str, tuple[str, str]] = context.get("chapters", {})
    """id -> (title as printed, anchor)."""
    translate = context["_"]

    def reference(match: re.Match[str]) -> str:
        target = match.group(1)
        if target not in chapters:
            raise BuildError(
                f"`{{see:{target}}}` names no chapter of this booklet (in `{excerpt(text)}`); "
                f"write one of: {', '.join(sorted(chapters))}"
            )
        title, anchor = chapters[target]
        if not context.get("page_numbers", True):  # a web page has no pages
            return f'"<a class="see" href="#{anchor}">{escape(title)}</a>"'
        before, _page, after = translate("page {page}").partition("{page}")
        # The quotes stay outside the link: WeasyPrint breaks the line early before an
        # inline element that starts with an opening quote ("You" and "can" each alone).
        return (
            f'"<a class="see" href="#{anchor}">{escape(title)}</a>" '
            f'(<a class="page-ref" href="#{anchor}" data-after="{escape(after)}">'
            f"{escape(before)}</a>)"
        )

    return Markup(_keep_last_words(SEE_REFERENCE.sub(reference, str(markup(text)))))


LAST_TWO_WORDS = re.compile(r"(?<=\s)([^\s<>]+)\s+([^\s<>]+)$")
"""The last two words of a text that ends in plain words (not in a tag)."""


def _keep_last_words(html: str) -> str:
    """Keep a paragraph's last two words on one line, so it never ends in a line of one
    short word ("risk.", "dejarlo."): a no-break space between them (a `white-space: nowrap`
    span there made WeasyPrint break lines early, "Some" alone above the rest). Left alone
    when they would be long together: a long last line is no widow, and a long unbreakable
    pair could run past a narrow column."""
    found = LAST_TWO_WORDS.search(html)
    if found is None or len(found.group(1)) + len(found.group(2)) > KEPT_TOGETHER:
        return html
    return f"{html[: found.start()]}{found.group(1)}\u00a0{found.group(2)}"


KEPT_TOGETHER = 22
"""The most letters two last words kept on one line may have."""


def nowidow(text: str) -> Markup:
    """Keep a heading's last two words on one line (`<span class="keep">`, nowrap in
    base.css), so its last word never stands alone ("Help and Safety / Guide"). A plain
    space stays between them, so the PDF's text reads (and is searched) as written.
    Headings of two words or fewer are left as they are."""
    words = str(text).rsplit(" ", 2)
    if len(words) < 3:
        return Markup(escape(text))
    head, last = words[0], f"{words[1]} {words[2]}"
    return Markup(f'{escape(head)} <span class="keep">{escape(last)}</span>')


SPACE_BEFORE_ELEMENT = re.compile(r"(\s+)<(b|a|span)((?:\s[^>]*)?)>")


def spaces_inside(html: str) -> Markup:
    """Move each space that stands before a `<b>`, `<a>` or `<span>` into it (`· <b>Hours:`
    becomes `·<b> Hours:`). WeasyPrint breaks a line too early when its only good break is
    just before an inline element: a word is left alone on a line above ("Women's /
    Education / and Legal Fund"). Only for runs of such elements that may wrap anywhere
    (a directory entry's details), never for one kept on one line (`nowrap`)."""
    return Markup(SPACE_BEFORE_ELEMENT.sub(_space_inside, str(html)))


def _space_inside(found: re.Match[str]) -> str:
    """The element's start tag, then the space (one, or the no-break space it was)."""
    space = "\u00a0" if "\u00a0" in found.group(1) else " "
    return f"<{found.group(2)}{found.group(3)}>{space}"


def details_line(html: str) -> Markup:
    """A directory entry's line of details ("Hours: … · example.org · Source: …"), its
    spaces moved into its elements (`spaces_inside`) and without a separator left at its
    end (nothing is printed after it when a record has no source and no check date)."""
    return spaces_inside(re.sub(r"(?:\s*·)?(?:\s|<span[^>]*></span>)*$", "", str(html)))


LINK_SCHEMES = ("tel", "sms", "mailto")


def allowed_link(href: str) -> bool:
    """Whether a printed link may be `href`: an absolute https URL with a host, a `tel:`,
    `sms:` or `mailto:` address, or an anchor in the same document."""
    if href.startswith("#"):
        return True
    try:
        url = URL(href)
    except (ValueError, TypeError):
        return False
    if url.scheme == "https":
        return url.is_absolute() and bool(url.raw_host)
    return url.scheme in LINK_SCHEMES and bool(url.path)


def _template_place(error: Exception, fallback: str) -> str:
    """`templates/x.html:LINE` of the innermost template frame of a render error."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
    if not frames:
        return fallback
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"


class _CompiledInMemory(jinja2.BytecodeCache):
    """Compiled templates kept in memory between the builds of one process (`serve`
    rebuilds on every save, and compiling the six templates took 0.19 s of each rebuild).
    Jinja compares each template's source checksum with the one stored, so an edited
    template is compiled again; the output is the same either way."""

    KEPT = 64

    def __init__(self) -> None:
        self.compiled: OrderedDict[str, bytes] = OrderedDict()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            self.compiled.move_to_end(bucket.key)
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
        while len(self.compiled) > self.KEPT:
            self.compiled.popitem(last=False)


COMPILED = _CompiledInMemory()


HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def with_head(html: str, extra: str) -> str:
    """`html` with `extra` (`<style>` elements) added at the end of its `<head>`, after
    its stylesheets, so it overrides them. The auto-fit's type scales and the press
    settings are added this way to a document templated once, instead of templating it
    (and making its text typographic) again for each trial layout."""
    if not extra:
        return html
    found = HEAD_END.search(html)
    if found is None:
        raise BuildError(
            "a template gives no `</head>`: the page settings and the auto-fit cannot be "
            "added to it; keep base.html's `<head>` ... `</head>`"
        )
    return f"{html[: found.start()]}{extra}\n{html[found.start() :]}"


def fit_style(fit: dict[str, float]) -> str:
    """The auto-fit's type scale of each part (`--fit`, read by the stylesheets), as CSS:
    "page" scales the whole page, any other part its `#part-NAME` element."""
    if not fit:
        return ""
    rules = "".join(
        f"{':root' if part == 'page' else '#part-' + part} {{ --fit: {scale}; }} "
        for part, scale in fit.items()
    )
    return f"<style>{rules}</style>"


class Templates:
    """The Jinja2 environment: autoescaped, strict about undefined names."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=COMPILED,
        )
        self.env.filters["fill"] = fill
        self.env.filters["fill_markup"] = fill_markup
        self.env.filters["markup"] = markup
        self.env.filters["prose"] = prose
        self.env.filters["nowidow"] = nowidow
        self.env.filters["details_line"] = details_line
        self.env.globals["writing"] = writing  # a language's direction and font stack

    def first_html(self, material: Material, context: dict) -> str:
        """The HTML a variant is first laid out from (its fingerprint, see
        `handout.build.plan`): with all the blank pages padding could need."""
        return self.html(material, {**context, "padding": material.spare_pages})

    def html(self, material: Material, context: dict) -> str:
        try:
            template = self.env.get_template(material.template)
            # padding: blank pages a booklet needs; press: a press copy's (class on <html>)
            values = {"padding": 0, "press": False, **context}
            html = template.render(material=material, **values)
        except jinja2.TemplateNotFound as error:
            raise BuildError(f"template {error.name} not found in {self.folder}") from error
        except jinja2.TemplateSyntaxError as error:
            raise BuildError(
                f"{error.filename}:{error.lineno}: template error: {error.message}"
            ) from error
        except jinja2.UndefinedError as error:
            raise BuildError(
                f"{_template_place(error, material.template)}: {error.message} "
                "(the template uses a value the content does not have)"
            ) from error
        # The one place every printed text passes (content, translations, the templates'
        # own words), as text nodes that cannot be mistaken for markup or attributes.
        typographic = typeset(html)
        links, anchors = typographic.links, typographic.anchors
        language = document_language(html)
        html = unbreakable_html(
            typographic.html,
            values.get("proper_names", ()),
            language,
            values.get("source_language", "en"),
        )
        if writing(language).direction == "rtl":
            html = isolated_latin_text(isolated_ltr(html))
        dangling = sorted(
            {href for href in links if href.startswith("#") and href[1:] not in anchors}
        )
        if dangling:
            raise BuildError(
                f"{material.template}: a link points to `{dangling[0]}`, which is nowhere in the "
                "document; a chapter or page reference must name a part the material has"
            )
        wrong = [href for href in links if not allowed_link(href)]
        if wrong:
            raise BuildError(
                f"{material.template}: a link to `{excerpt(wrong[0])}`: links must be absolute "
                "https:, tel:, sms: or mailto: addresses, or #anchors in the same document "
                "(a relative link would point into the build machine's folders)"
            )
        return html
