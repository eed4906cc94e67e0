"""What the editor's pages and the preview work on, for one run of `serve`."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from handout.editor.security import new_token

if TYPE_CHECKING:
    from handout.preview.live import Preview


@dataclass
class Site:
    """What the pages work on: the folders, the preview's state and this run's token."""

    preview: Preview
    content: Path
    out: Path
    templates: Path | None = None
    """The templates folder (for the translations page: which texts a material prints)."""
    commit: bool = False
    """Each save also a git commit in the content folder (`serve --commit`)."""
    token: str = field(default_factory=new_token)
    versions: OrderedDict[str, str] = field(default_factory=OrderedDict)
    """Texts of content files that forms were made from, by hash (to show a conflict)."""
    notices: list[str] = field(default_factory=list)
    """What the next page shown must say (a save that could not be committed to git)."""

    def take_notices(self) -> list[str]:
        """The notices not shown yet; each is shown once."""
        taken, self.notices[:] = list(self.notices), []
        return taken
