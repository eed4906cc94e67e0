"""Words hyphenation must never break: web and e-mail addresses, where a reader would type
the hyphen ("cleanslate-clearinghouse.org" printed as "cleanslate-clearing-house.org"
reaches nothing), and proper names, which another language's rules break wrongly
("Connec-ticut", "Northwes-tern" by Spanish rules).

Done on the final HTML, the one place every printed text passes (see `handout.layout.html`):
each address in the text becomes `<span class="address">`, with a line break allowed only
after its slashes and before its dots (`<wbr>`); each name on the content's list of proper
names becomes `<span class="proper">`, marked with the language it is written in, where
that is not the document's own. The stylesheets keep both unhyphenated (base.css).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from handout.layout.typography import PROTECTED, TOKEN

BREAK_POINTS = re.compile(r"(?<=/)(?=[^/])|(?<=[^.])(?=\.[^\s.])")
"""Where a long address may go on to the next line: after a slash, before a dot."""
LONG_ADDRESS = 24
"""Addresses longer than this may break at their slashes and dots. Not shorter ones: each
break opportunity is a zero-width space in the PDF's text, which a copied address keeps."""
SKIPPED = frozenset({"title", "style", "script", "head"})
"""Elements whose text is not laid out on the page."""


def unbreakable_html(
    document: str, proper_names: Iterable[str], language: str, names_language: str
) -> str:
    """`document` with its addresses and proper names wrapped so they never hyphenate;
    `names_language` is the language the names are written in (marked where it is not the
    document's own)."""
    # In the names' own language, its hyphenation rules suit them and nothing needs marking.
    words = _words(proper_names if names_language != language else ())
    lang = f' lang="{names_language}"'

    def wrap(match: re.Match[str]) -> str:
        if match.group("address"):
            address = match.group("address")
            if len(address) > LONG_ADDRESS:
                address = BREAK_POINTS.sub("<wbr>", address)
            return f'<span class="address">{address}</span>'
        return f'<span class="proper"{lang}>{match.group("name")}</span>'

    out: list[str] = []
    position = 0
    skipped: list[str] = []
    for token in TOKEN.finditer(document):
        if token.start() > position:
            out.append(_wrapped(document[position : token.start()], words, skipped, wrap))
        tag = (token.group("tag") or "").lower()
        name = tag.lstrip("/")
        if name in SKIPPED:
            if tag.startswith("/"):
                if skipped:
                    skipped.pop()
            elif not token.group(0).endswith("/>"):
                skipped.append(name)
        out.append(token.group(0))
        position = token.end()
    if position < len(document):
        out.append(_wrapped(document[position:], words, skipped, wrap))
    return "".join(out)


def _words(proper_names: Iterable[str]) -> re.Pattern[str]:
    """One pattern for every address and every proper name."""
    return _pattern(tuple(sorted({name.strip() for name in proper_names if name.strip()})))


@functools.lru_cache(maxsize=8)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """Made once per set of names (a build's variants of one region share it). The names
    are one trie-shaped alternation (`_trie`): a plain `A|B|C…` of 10,000 imported names is
    tried name by name at every position of every text, which made a large region's build
    grow with the square of its records."""
    alternatives = [rf"(?P<address>{PROTECTED.pattern})"]
    if names:
        alternatives.append(rf"(?<![\w@./-])(?P<name>{_trie(names)})(?![\w@/-]|\.\w)")
    return re.compile("|".join(alternatives), re.VERBOSE | re.IGNORECASE)


def _trie(names: Iterable[str]) -> str:
    """A pattern matching any of `names`, case aside, the longest first where one starts
    another ("New Milford" before "New"): a tree of their letters, so that matching at a
    position costs the length of a name, not the number of names."""
    root: dict = {}
    for name in names:
        node = root
        for char in name.lower():
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here
    return _branch(root)


def _branch(node: dict) -> str:
    ends = "" in node
    parts = [re.escape(char) + _branch(child) for char, child in node.items() if char]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if ends:  # greedy: the longer name first, then the shorter one that ends here
        return "(?:" + body + ")?" if len(parts) == 1 else body + "?"
    return body


def _wrapped(
    text: str, words: re.Pattern[str], skipped: list[str], wrap: Callable[[re.Match[str]], str]
) -> str:
    if skipped or not text.strip():
        return text
    return SPACE_BEFORE_WRAP.sub(r"\2\1", words.sub(wrap, text))


SPACE_BEFORE_WRAP = re.compile(r"([ \t\r\n\u00a0]+)(<span class=\"(?:address|proper)\"[^>]*>)")
"""The space before a name or address, moved into its span: WeasyPrint breaks a line too
early when its best break is just before an inline element, leaving a word alone on the
line above ("Departamento / de Saúde Pública de Connecticut"). The span may still break
there: it is not kept on one line; a no-break space (a paragraph's last two words kept
together) stays one."""
