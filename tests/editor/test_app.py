"""The editor's web app without a browser: the Host check, the output folder served and
nothing outside it, the write guards (token, origin) and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from starlette.datastructures import Headers
from starlette.testclient import TestClient

from handout.content.files import write
from handout.editor.app import STATUS, Site, make_app
from handout.editor.security import allowed_hosts, inside, write_refusal
from handout.preview.live import Preview
from tests.editor.signing import SigningClient

PORT = 8765
HERE = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def site(content_copy: Path, tmp_path: Path) -> Site:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("<html><body><h1>Gallery</h1></body></html>")
    (out / "card.pdf").write_bytes(b"%PDF-1.7 test")
    preview = Preview(out, "Test")
    preview.finished(None)
    return Site(preview, content_copy, out)


@pytest.fixture
def client(site: Site) -> TestClient:
    return SigningClient(make_app(site, allowed_hosts(PORT)), base_url=HERE)


def test_serves_the_gallery_with_reload_script_status_and_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Gallery" in page.text and STATUS in page.text and 'href="/edit/"' in page.text
    assert client.get(STATUS).json()["building"] is False
    pdf = client.get("/card.pdf")
    assert pdf.content == b"%PDF-1.7 test" and pdf.headers["cache-control"] == "no-store"
    assert client.get("/missing.pdf").status_code == 404


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_answers_to_local_names_with_the_port(client: TestClient, host: str) -> None:
    assert client.get("/", headers={"host": f"{host}:{PORT}"}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", "127.0.0.1", "x:1"])
def test_refuses_other_host_headers(client: TestClient, host: str) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: refused."""
    assert client.get("/", headers={"host": host}).status_code == 403


def test_no_file_outside_the_output_folder(client: TestClient, site: Site) -> None:
    (site.out.parent / "secret.txt").write_text("secret")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "secret" not in response.text


def test_inside_refuses_paths_leading_out(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "resources").mkdir(parents=True)
    assert inside(root, "resources/local.yaml") == root.resolve() / "resources" / "local.yaml"
    for bad in ("../secret", "/etc/passwd", "resources/../../x"):
        with pytest.raises(PermissionError):
            inside(root, bad)
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(PermissionError):
        inside(root, "link/secret")


def test_writes_are_atomic_and_keep_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    write(path, "new\n")
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["local.yaml"], "no temporary file left"


def test_a_write_needs_the_token_and_the_same_origin() -> None:
    def refusal(token: str | None, **headers: str) -> str | None:
        return write_refusal(Headers({"host": f"127.0.0.1:{PORT}", **headers}), token, "T")

    assert refusal("T", origin=HERE) is None
    assert refusal("T", referer=HERE + "/edit/") is None
    assert "token" in str(refusal(None, origin=HERE))
    assert "token" in str(refusal("wrong", origin=HERE))
    assert "origin" in str(refusal("T", origin="http://evil.example"))
    assert "referer" in str(refusal("T", referer="http://evil.example/"))
    assert "referer" in str(refusal("T", referer=HERE + ".evil.example/"))
    assert refusal("T") is not None, "neither Origin nor Referer: refused"


def test_write_text_atomic_leaves_the_file_when_writing_fails(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("kept\n")
    with pytest.raises(TypeError):
        write(path, None)  # type: ignore[arg-type]
    assert path.read_text() == "kept\n"
    assert os.listdir(tmp_path) == ["a.yaml"]
