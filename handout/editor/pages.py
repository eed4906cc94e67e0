"""The editor's pages (filled in step by step)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

if TYPE_CHECKING:
    from handout.editor.app import Site


def routes(site: Site) -> list[BaseRoute]:
    return []
