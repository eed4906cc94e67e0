"""Typographic quotes and apostrophes: "straight" quotes typed in YAML or a PO editor come
out as the reader's language writes them (“…” in English, «…» in French, „…“ in German).

The delimiters come from Unicode CLDR through ICU (PyICU), not from a table of our own:
Babel, built from the same CLDR, drops them. Which quote opens and which closes is guessed
from its neighbours, the way word processors do ("smart quotes").

`typographic_html` applies it to a whole rendered document, the one place every printed
text passes (content, translations, the templates' own words): only text nodes and
human-readable attributes (alt, title, aria-label, a meta description) change, never
markup, links, ids, CSS, or the URLs and e-mail addresses printed as text.

`isolated_ltr` keeps what is typed as it is printed (numbers, keywords, addresses, Latin
names) in left-to-right order inside right-to-left text.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from markupsafe import escape

from handout.content.characters import babel_code

APOSTROPHE = "\u2019"
"""’, the apostrophe Unicode recommends (it looks like a closing single quote)."""


@dataclass(frozen=True)
class Delimiters:
    """A language's quotation marks (CLDR `delimiters`): primary and alternate (nested)."""

    open: str
    close: str
    alt_open: str
    alt_close: str


@functools.cache
def delimiters(language: str) -> Delimiters:
    """The quotation marks of `language` ("en", "pt-BR", "es_US"); an unknown language
    gets CLDR's root ones (“ ” and ‘ ’). Looked up once per language."""
    import icu  # PyICU: imported here, so only a build that prints text pays for it

    data = icu.LocaleData(babel_code(language))
    kind = icu.ULocaleDataDelimiterType
    return Delimiters(
        data.getDelimiter(kind.QUOTATION_START),
        data.getDelimiter(kind.QUOTATION_END),
        data.getDelimiter(kind.ALT_QUOTATION_START),
        data.getDelimiter(kind.ALT_QUOTATION_END),
    )


# --- Plain text ---------------------------------------------------------------------------

QUOTE = re.compile("[\"']")
OPENING_CONTEXT = frozenset("([{<¿¡-‐‑‒–—―/")
"""After one of these (or at the start, or after a space) a quote opens."""

ELISION = re.compile(r"'(?:n'|\d\d|(?:em|til|tis|twas|cause|bout)\b)", re.IGNORECASE)
"""A leading apostrophe, not an opening quote: rock 'n' roll, the '90s, 'til."""

PROTECTED = re.compile(
    r"""
    (?:https?|ftp)://[^\s"<>]*[^\s"'<>.,;:!?)\]]           # a URL with its scheme
    | [\w.+-]+(?:'[\w.+-]+)*@[\w-]+(?:\.[\w-]+)+             # an e-mail address (o'brien@…)
    | (?<![\w@.])(?:[\w-]+\.)+[a-z]{2,}\b                    # a bare domain: ctcadv.org
      (?:/[^\s"<>]*[^\s"'<>.,;:!?)\]])?                      #   and its path
    """,
    re.VERBOSE | re.IGNORECASE,
)
"""What is printed as an address and must stay as typed, quotes and all."""


def typographic(text: str, language: str) -> str:
    """`text` with its straight quotes and apostrophes made typographic for `language`.

    Typographic quotes already there are kept, and so are URLs and e-mail addresses.
    The result has exactly as many characters as `text` (each quote becomes one)."""
    if not QUOTE.search(text):
        return text
    return _convert(text, delimiters(language), _protected_mask(text))


def _protected_mask(text: str, mask: bytearray | None = None) -> bytearray:
    mask = mask if mask is not None else bytearray(len(text))
    for match in PROTECTED.finditer(text):
        mask[match.start() : match.end()] = b"\1" * (match.end() - match.start())
    return mask


def _convert(text: str, marks: Delimiters, protected: bytearray) -> str:
    """The conversion proper. A paragraph ends at a newline: a single quote opened in one
    is not closed in the next."""
    chars = list(text)
    openers = OPENING_CONTEXT | {marks.open, marks.alt_open}
    single_open = -1  # where the single quotation still open starts
    for match in QUOTE.finditer(text):
        i = match.start()
        if protected[i]:
            continue
        before = chars[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        opens = not before or before.isspace() or before in openers
        if text[i] == '"':
            chars[i] = marks.open if opens else marks.close
        elif before.isalnum() and after.isalnum():  # don't, l'eau, 90's
            chars[i] = APOSTROPHE
        elif opens:
            if not ELISION.match(text, i) and _closes_later(text, i + 1):
                chars[i], single_open = marks.alt_open, i
            else:
                chars[i] = APOSTROPHE
        elif single_open >= 0 and text.find("\n", single_open, i) < 0:
            chars[i], single_open = marks.alt_close, -1
        else:  # the girls' books
            chars[i] = APOSTROPHE
    return "".join(chars)


def _closes_later(text: str, start: int) -> bool:
    """Whether a single quote in closing position (after a non-space, not before a letter)
    follows in the same paragraph: then the one at `start - 1` opens a quotation."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    for match in re.finditer("'", text[start:end]):
        i = start + match.start()
        if not text[i - 1].isspace() and not (i + 1 < len(text) and text[i + 1].isalnum()):
            return True
    return False


STRAIGHT = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛‹›ʼ′`´＇", "'"),
        **dict.fromkeys("“”„‟«»″＂", '"'),
    }
)


def straight(text: str) -> str:
    """`text` with every kind of quotation mark and apostrophe made straight: for
    comparing a text as typed with the same text as printed."""
    return text.translate(STRAIGHT)


# --- HTML ---------------------------------------------------------------------------------

TOKEN = re.compile(
    r"""
    <!--.*?-->
    | <(?P<raw>style|script)\b(?:[^>"']|"[^"]*"|'[^']*')*>.*?</(?P=raw)\s*>
    | <(?P<tag>/?[a-zA-Z][\w:-]*|!)(?:[^>"']|"[^"]*"|'[^']*')*>
    """,
    re.VERBOSE | re.DOTALL,
)
INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "kbd", "mark", "q", "s"}
    | {"samp", "small", "span", "strong", "sub", "sup", "time", "u", "wbr"}
)
"""Elements inside a line of text: a quote may open before one and close after it. Any
other tag ends a paragraph."""

ENTITY = re.compile(r"(&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
READABLE = re.compile(
    r"""(\s(?:alt|title|aria-label)\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE | re.VERBOSE
)
META_CONTENT = re.compile(r"""(\scontent\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE)
META_READABLE = re.compile(r"""\sname\s*=\s*["']?(?:description|keywords)\b""", re.IGNORECASE)
HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]*))""", re.IGNORECASE)
ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
LINKING = frozenset({"a", "area"})
ROOT_LANG = re.compile(r"""<html\b[^>]*?\slang\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def document_language(document: str, default: str = "en") -> str:
    """The language an HTML document declares on its root (`<html lang>`)."""
    found = ROOT_LANG.search(document)
    return found.group(1) if found else default


@dataclass
class Typeset:
    """A document made typographic, with what its one pass over the tags found."""

    html: str
    links: list[str] = field(default_factory=list)
    """The target of every link (`<a href>`, `<area href>`), as the browser reads it."""
    anchors: set[str] = field(default_factory=set)
    """Every `id` of the document (what `#anchor` links may point to)."""


def _attribute(pattern: re.Pattern[str], tag: str) -> str | None:
    found = pattern.search(tag)
    if found is None:
        return None
    return html.unescape(next(value for value in found.groups() if value is not None))


def typographic_html(document: str, language: str | None = None) -> str:
    """The HTML `document` with the quotes of its text made typographic for `language`
    (default: its `<html lang>`)."""
    return typeset(document, language).html


def typeset(document: str, language: str | None = None) -> Typeset:
    """The HTML `document` with the quotes of its text made typographic for `language`
    (default: its `<html lang>`), and its links and anchors, read in the same pass (the
    build checks them: see `handout.layout.html`).

    Text is read across inline elements, so `"<b>word</b>"` pairs; links to outside the
    document print an address (URL, number, e-mail) and keep their text as is; `<style>`
    and `<script>`, tags and all other attributes are left byte for byte."""
    language = language or document_language(document)
    found = Typeset("")
    marks = delimiters(language)
    out: list[str] = []
    flow: list[str] = []
    flow_length = 0
    protected_spans: list[tuple[int, int]] = []
    texts: list[tuple[int, list[tuple[str, str, int]]]] = []  # out index, units
    in_link = False

    def text(raw: str) -> None:
        nonlocal flow_length
        units = []
        for part in ENTITY.split(raw) if "&" in raw else (raw,):
            if not part:
                continue
            decoded = html.unescape(part) if part.startswith("&") else part
            units.append((part, decoded, flow_length))
            flow.append(decoded)
            flow_length += len(decoded)
        if in_link:
            protected_spans.append((units[0][2], flow_length))
        texts.append((len(out), units))
        out.append(raw)

    position = 0
    for match in TOKEN.finditer(document):
        if match.start() > position:
            text(document[position : match.start()])
        tag = match.group(0)
        name = (match.group("tag") or "").lower()
        if name in LINKING:
            href = _attribute(HREF, tag)
            if href is not None:
                found.links.append(href)
            if name == "a":
                in_link = href is not None and not href.startswith("#")
        elif name == "/a":
            in_link = False
        if name[:1].isalpha() and "id" in tag:
            anchor = _attribute(ID, tag)
            if anchor is not None:
                found.anchors.add(anchor)
        if name.lstrip("/") not in INLINE:
            flow.append("\n")
            flow_length += 1
        out.append(_readable_attributes(tag, name, language))
        position = match.end()
    if position < len(document):
        text(document[position:])

    joined = "".join(flow)
    if not QUOTE.search(joined):
        found.html = "".join(out)
        return found
    mask = _protected_mask(joined)
    for start, end in protected_spans:
        mask[start:end] = b"\1" * (end - start)
    converted = _convert(joined, marks, mask)
    for index, units in texts:
        changed = False
        parts = []
        for raw, decoded, start in units:
            new = converted[start : start + len(decoded)]
            if new == decoded:
                parts.append(raw)
            else:
                changed = True
                parts.append(str(escape(new)) if raw.startswith("&") else new)
        if changed:
            out[index] = "".join(parts)
    found.html = "".join(out)
    return found


def _readable_attributes(tag: str, name: str, language: str) -> str:
    """A tag with its human-readable attribute values (alt, title, aria-label, and the
    content of a meta description) made typographic; every other attribute unchanged."""

    def convert(match: re.Match[str]) -> str:
        quoted = match.group(2)
        value = html.unescape(quoted[1:-1])
        new = typographic(value, language)
        if new == value:
            return match.group(0)
        return f"{match.group(1)}{quoted[0]}{escape(new)}{quoted[-1]}"

    tag = READABLE.sub(convert, tag)
    if name == "meta" and META_READABLE.search(tag):
        tag = META_CONTENT.sub(convert, tag)
    return tag


# --- Right-to-left documents ----------------------------------------------------------------

LEFT_TO_RIGHT_RUN = re.compile(
    r"""(<(a|b|span)\b[^>]*\bclass="(?:number|keyword|address|proper)"[^>]*>)"""
    r"""([\s\u00a0]*)(.*?)(</\2\s*>)""",
    re.DOTALL,
)
"""The elements that print what a reader types or reads out as written: a phone number
(`number`, from the templates' `number` macros), an SMS keyword (`keyword`), a web or
e-mail address and a Latin proper name (`address`, `proper`: `handout.layout.unbreakable`)."""


def isolated_ltr(document: str) -> str:
    """A right-to-left document with each number, keyword, address and Latin name isolated
    as left-to-right text (`<bdi dir="ltr">` inside its element, after any space the element
    starts with, so the space stays between it and the right-to-left words around it).
    Without it "(888) 373-7888" prints as "373-7888 (888)" in Arabic, parentheses turned
    the wrong way. WeasyPrint ignores `unicode-bidi` but lays each inline box out in its own
    `direction` (what `dir` sets), which isolates it."""
    return LEFT_TO_RIGHT_RUN.sub(
        lambda found: f'{found[1]}{found[3]}<bdi dir="ltr">{found[4]}</bdi>{found[5]}', document
    )


INLINE_TAGS = "a|abbr|b|bdi|cite|code|em|i|small|span|strong|sub|sup|time|u"
INLINE_RUN = re.compile(rf"(?<=>)((?:[^<]+|</?(?:{INLINE_TAGS})\b[^>]*>)+)(?=<)")
"""Text and inline elements between two block boundaries (a paragraph's or a cell's content)."""
TEXT_NODE = re.compile(r"(?<=>)([^<]+)(?=<)")
TAG = re.compile(r"<(/?)([a-z0-9]+)\b[^>]*>")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
NOT_PROSE = re.compile(
    r"(<svg\b.*?</svg\s*>|<style\b.*?</style\s*>|<script\b.*?</script\s*>)", re.DOTALL
)
"""Parts of a body whose text is not printed prose (a QR code's SVG and its title)."""


def isolated_latin_text(document: str) -> str:
    """A right-to-left document with each run of text in Latin letters only (an English
    text printed because its translation is missing, a name or a term kept in English)
    isolated as left-to-right, whole when it spans inline elements: WeasyPrint lays the
    words and inline elements of a left-to-right phrase out right to left in a
    right-to-left line otherwise ("Free help, any time" printed "any time ,help Free")."""
    start = document.find("<body")
    if start < 0:
        return document
    parts = NOT_PROSE.split(document[start:])
    for index in range(0, len(parts), 2):  # split() gives: text, svg or style, text, ...
        parts[index] = INLINE_RUN.sub(_isolated_run, parts[index])
    return document[:start] + "".join(parts)


def _isolated_run(found: re.Match[str]) -> str:
    """The run isolated whole if all its letters are Latin and its tags balanced; else
    each of its text nodes: whole when Latin only, and in a node that mixes scripts each
    Latin term ("nolo contendere", a statute's "54-1b", a name)."""
    run = found[1]
    text = TAG.sub("", run)
    if not LATIN_LETTER.search(text):
        return run
    if not RTL_LETTER.search(text) and _balanced(run):
        return _wrapped(run)
    return TEXT_NODE.sub(lambda node: _isolated_node(node[1]), f">{run}<")[1:-1]


LATIN_TERM = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f](?:[0-9A-Za-z\u00c0-\u024f]|[ .'’/-](?=[0-9A-Za-z]))*"
)
"""Latin words (and the digits, dots, dashes and single spaces inside them) in a text of
another script: "nolo contendere", "54-1b", "Project Rescue"."""


def _isolated_node(text: str) -> str:
    if not LATIN_LETTER.search(text):
        return text
    if not RTL_LETTER.search(text):
        return _wrapped(text)
    return LATIN_TERM.sub(
        lambda term: _wrapped(term[0]) if LATIN_LETTER.search(term[0]) else term[0], text
    )


def _balanced(run: str) -> bool:
    depth: dict[str, int] = {}
    for closing, name in TAG.findall(run):
        depth[name] = depth.get(name, 0) + (-1 if closing else 1)
        if depth[name] < 0:
            return False
    return not any(depth.values())


def _wrapped(run: str) -> str:
    """`run` in a left-to-right isolate, the spaces around it left outside."""
    core = run.strip()
    before = run[: len(run) - len(run.lstrip())]
    after = run[len(run.rstrip()) :]
    if core.startswith('<bdi dir="ltr">') and core.endswith("</bdi>") and core.count("<bdi") == 1:
        return run  # isolated already
    return f'{before}<bdi dir="ltr">{core}</bdi>{after}'
