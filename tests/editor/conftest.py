"""The editor as most of its tests use it: on a copy of the shipped content, its output in
the test's own folder, reached through a client that signs its saves as a browser does."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handout.editor.app import Site, make_app
from handout.editor.security import allowed_hosts
from handout.preview.live import Preview
from tests.editor.signing import SigningClient

PORT = 8766
HERE = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def site(content_copy: Path, tmp_path: Path) -> Site:
    out = tmp_path / "out"
    out.mkdir()
    return Site(Preview(out, "Test"), content_copy, out)


@pytest.fixture
def client(site: Site) -> TestClient:
    return SigningClient(
        make_app(site, allowed_hosts(PORT)), base_url=HERE, follow_redirects=False,
        headers={"origin": HERE},
    )  # fmt: skip
