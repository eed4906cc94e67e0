"""What a person typed on the command line for a region, a language or a material, read
as the id it stands for: the id itself, written loosely ("New_Milford"), or the thing's
own name ("New Milford", "Español", "Spanish")."""

from __future__ import annotations

import difflib
import re
import unicodedata

from handout.content.errors import UserError, excerpt


def _plain(name: str) -> str:
    """A name as typed loosely: no case, no accents, hyphens for spaces ("new-milford")."""
    letters = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(char for char in letters if not unicodedata.combining(char))
    return "-".join(re.split(r"[\s_-]+", letters.strip()))


def id_asked(kind: str, name: str, known: dict[str, list[str]], more: str = "") -> str:
    """The id `name` stands for: the id itself, or written loosely, or the region's or
    language's name ("Danbury", "New Milford", "Spanish", "Español"). `known`: each id
    and its names; `more`: what the message adds at its end."""
    if name in known:
        return name
    for ident, names in known.items():
        if _plain(name) in {_plain(ident), *(_plain(each) for each in names)}:
            return ident
    listed = ", ".join(
        f"{ident} ({names[0]})" if names and _plain(names[0]) != ident else ident
        for ident, names in known.items()
    )
    every = {_plain(each): ident for ident, names in known.items() for each in [ident, *names]}
    guess = difflib.get_close_matches(_plain(name), list(every), n=1, cutoff=0.6)
    hint = f"; did you mean `{every[guess[0]]}`?" if guess else "."
    raise UserError(f"no {kind} `{excerpt(name)}`{hint} Known {kind}s: {listed}{more}")
