"""The editor's pages: records (list, form, add, delete), re-checks, cards and flyer per
region, translations, and history with undo, one module per page family, with what they all
use in `shared`. The work itself is done in the modules beside this package (forms, records,
layouts, translations, history); here are the routes.

Every page works without JavaScript: plain links, GET forms for searching and POST forms
for changes, each answered by a redirect (or the same form with its errors).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from handout.editor.pages import history, layouts, rechecks, records, translations

if TYPE_CHECKING:
    from handout.editor.site import Site


def routes(site: Site) -> list[BaseRoute]:
    """The editor's routes, working on `site`. A record's routes come last: their paths
    (`/edit/{kind}/{id}`, `/edit/{kind}/{id}/delete`) would also match the other pages'."""
    return [
        *records.list_routes(site),
        *layouts.routes(site),
        *translations.routes(site),
        *rechecks.routes(site),
        *history.routes(site),
        *records.routes(site),
    ]
